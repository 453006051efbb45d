import { Fragment } from 'react';
import { capText, containsBidi, neutraliseBidi, segmentText } from '@desk/domain';
import { TRUST_DOMAIN } from '../config.ts';

interface SafeTextProps {
  /** Text from the public (or anything that may quote it). */
  text: string | null | undefined;
  /** Cap in characters, for previews. */
  max?: number;
  /** Turn safe-listed https addresses into links; never inside another link or a button. */
  links?: boolean;
  /** Say below the text that direction controls were found and neutralised. */
  explainBidi?: boolean;
}

/**
 * The only way the desk shows public text: React text nodes (never HTML), direction controls
 * replaced by a visible marker, and links only to safe-listed https hosts, opened in a new tab with
 * no referrer and no window.opener.
 */
export function SafeText({ text, max, links = false, explainBidi = false }: SafeTextProps) {
  if (!text) return null;
  const neutral = neutraliseBidi(text);
  const shown = max === undefined ? neutral : capText(neutral, max);
  const note = explainBidi && containsBidi(text) ? (
    <span className="bidi-note"> (This text contained hidden direction characters, shown as �.)</span>
  ) : null;
  if (!links) {
    return (
      <>
        {shown}
        {note}
      </>
    );
  }
  return (
    <>
      {segmentText(shown, { trustDomain: TRUST_DOMAIN }).map((segment, i) =>
        segment.kind === 'link' ? (
          <a key={i} href={segment.href} rel="noopener noreferrer nofollow" target="_blank" className="external">
            {segment.text}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        ) : (
          <Fragment key={i}>{segment.text}</Fragment>
        ),
      )}
      {note}
    </>
  );
}

/** Plain neutralised text for places that need a string (an option, a title). */
export function safeString(text: string | null | undefined, max?: number): string {
  if (!text) return '';
  const neutral = neutraliseBidi(text);
  return max === undefined ? neutral : capText(neutral, max);
}
