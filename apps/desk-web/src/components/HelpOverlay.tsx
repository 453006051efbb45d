import { SHORTCUT_HELP } from '../keyboard.ts';
import { Modal } from './Modal.tsx';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="help-overlay" closeKeys={['?']}>
      <p>Shortcuts work when you are not typing in a box.</p>
      <table className="shortcuts">
        <caption className="visually-hidden">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUT_HELP.map(({ keys, does }) => (
            <tr key={keys.join('+')}>
              <th scope="row">
                {keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </th>
              <td>{does}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
            </th>
            <td>Send the reply (in the reply box)</td>
          </tr>
        </tbody>
      </table>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
