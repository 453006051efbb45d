import type { ReplyConflict } from '@desk/domain';
import { formatDateTime } from '../format.ts';
import { Modal } from './Modal.tsx';
import { SafeText } from './SafeText.tsx';

interface ConflictDialogProps {
  conflict: ReplyConflict;
  sending: boolean;
  onSendAnyway: () => void;
  onCancel: () => void;
}

/** Another officer replied or took the conversation since this one looked: show who, when and what. */
export function ConflictDialog({ conflict, sending, onSendAnyway, onCancel }: ConflictDialogProps) {
  const who = conflict.by ? `${conflict.by.name} (${conflict.by.initials})` : 'Someone';
  const title = conflict.conflict === 'replied_since' ? 'Someone else has replied' : 'Someone else has this conversation';
  return (
    <Modal title={title} onClose={onCancel} testId="conflict-dialog" className="modal-warning">
      <p className="warning-text">
        <span aria-hidden="true">⚠ </span>
        {conflict.message}
      </p>
      {conflict.conflict === 'replied_since' ? (
        <>
          <p>
            {who} replied{conflict.at ? ` on ${formatDateTime(conflict.at)}` : ''}
            {conflict.text ? ':' : '.'}
          </p>
          {conflict.text && (
            <blockquote className="conflict-text" data-testid="conflict-text">
              <SafeText text={conflict.text} max={1000} />
            </blockquote>
          )}
        </>
      ) : (
        <p>It is assigned to {who}.</p>
      )}
      <p>Your reply has not been sent. Check the conversation before you decide.</p>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onCancel} data-autofocus data-testid="conflict-cancel">
          Don’t send
        </button>
        <button type="button" className="button button-primary" onClick={onSendAnyway} disabled={sending} data-testid="send-anyway">
          {sending ? 'Sending…' : 'Send anyway'}
        </button>
      </div>
    </Modal>
  );
}
