import type { ConnectionParameter } from '@plugboard/client';
import { fieldKind, type FieldProblem } from './connection-values.js';

/**
 * Form fields generated from a provider plugin's `connection_parameters`: one labelled control
 * per parameter, secrets as password fields (the browser does not offer to save them).
 */
export function ConnectionFields({
  parameters,
  values,
  problems,
  onChange,
}: {
  readonly parameters: readonly ConnectionParameter[];
  readonly values: Readonly<Record<string, string | boolean>>;
  readonly problems: readonly FieldProblem[];
  readonly onChange: (name: string, value: string | boolean) => void;
}) {
  if (parameters.length === 0)
    return <p class="muted">This plugin takes no connection parameters.</p>;
  return (
    <fieldset class="connection-fields">
      <legend>Connection</legend>
      {parameters.map((parameter) => {
        const id = `connection-${parameter.name}`;
        const kind = fieldKind(parameter);
        const problem = problems.find((p) => p.name === parameter.name);
        const hintId = `${id}-hint`;
        const errorId = `${id}-error`;
        const described =
          [parameter.description === undefined ? '' : hintId, problem === undefined ? '' : errorId]
            .filter(Boolean)
            .join(' ') || undefined;
        const value = values[parameter.name];
        const required = parameter.required === true && parameter.default === undefined;
        return (
          <div class={`field${kind === 'checkbox' ? ' field-checkbox' : ''}`} key={parameter.name}>
            {kind === 'checkbox' ? (
              <>
                <input
                  id={id}
                  type="checkbox"
                  checked={value === true}
                  aria-describedby={described}
                  onChange={(event) => onChange(parameter.name, event.currentTarget.checked)}
                />
                <label for={id}>{parameter.name}</label>
              </>
            ) : (
              <>
                <label for={id}>
                  {parameter.name}
                  {required ? <span aria-hidden="true"> *</span> : null}
                  {parameter.secret === true ? <span class="muted"> (secret)</span> : null}
                </label>
                {kind === 'json' ? (
                  <textarea
                    id={id}
                    rows={3}
                    spellcheck={false}
                    required={required}
                    aria-invalid={problem === undefined ? undefined : 'true'}
                    aria-describedby={described}
                    value={typeof value === 'string' ? value : ''}
                    onInput={(event) => onChange(parameter.name, event.currentTarget.value)}
                  />
                ) : (
                  <input
                    id={id}
                    {...(kind === 'password'
                      ? { type: 'password' as const, autocomplete: 'new-password' }
                      : kind === 'number'
                        ? {
                            type: 'number' as const,
                            step: parameter.type === 'number' ? 'any' : '1',
                          }
                        : { type: 'text' as const, autocomplete: 'off' })}
                    spellcheck={false}
                    required={required}
                    aria-invalid={problem === undefined ? undefined : 'true'}
                    aria-describedby={described}
                    value={typeof value === 'string' ? value : ''}
                    onInput={(event) => onChange(parameter.name, event.currentTarget.value)}
                  />
                )}
              </>
            )}
            {parameter.description === undefined ? null : (
              <p id={hintId} class="hint">
                {parameter.description}
              </p>
            )}
            {problem === undefined ? null : (
              <p id={errorId} class="field-error">
                {parameter.name} {problem.message}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
