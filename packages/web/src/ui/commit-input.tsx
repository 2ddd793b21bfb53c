import { useEffect, useState } from 'preact/hooks';

/** Properties of `CommitInput`: the committed value, `onCommit` and a few input attributes. */
export interface CommitInputProps {
  readonly id: string;
  readonly value: string;
  readonly onCommit: (value: string) => void;
  readonly type?: 'text' | 'search';
  readonly name?: string;
  readonly placeholder?: string;
  /** The id of a `<datalist>` of suggestions. */
  readonly list?: string;
  readonly autocomplete?: 'off';
  readonly spellcheck?: boolean;
}

/**
 * A text input that keeps what is being typed in its own state (a re-render — results arriving —
 * must not wipe it) and commits the trimmed text on change (Enter or leaving the field). It
 * follows `value` when that changes from outside (the back button).
 */
export function CommitInput({ value, onCommit, type = 'text', ...rest }: CommitInputProps) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <input
      {...rest}
      type={type}
      value={draft}
      onInput={(event) => setDraft(event.currentTarget.value)}
      onChange={(event) => {
        const next = event.currentTarget.value.trim();
        if (next !== value) onCommit(next);
      }}
    />
  );
}
