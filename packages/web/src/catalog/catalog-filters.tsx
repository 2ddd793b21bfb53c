import { CommitInput } from '../ui/commit-input.js';
import { PLUGIN_STATES, REPOSITORY_TYPES, type CatalogQuery } from './catalog-query.js';

/** Values seen in results so far, offered as suggestions for the text filters. */
export interface FilterSuggestions {
  readonly provider: readonly string[];
  readonly type: readonly string[];
  readonly label: readonly string[];
}

type TextFilter = 'provider' | 'type' | 'label';

const TEXT_FILTERS: readonly { key: TextFilter; label: string }[] = [
  { key: 'provider', label: 'Provider' },
  { key: 'type', label: 'Type' },
  { key: 'label', label: 'Label' },
];

/**
 * Provider, type, repository, label and state filters. Text filters apply when they change
 * (Enter or leaving the field), selects at once; each change is one history entry.
 */
export function CatalogFilters({
  query,
  suggestions,
  onChange,
}: {
  readonly query: CatalogQuery;
  readonly suggestions: FilterSuggestions;
  readonly onChange: (change: Partial<CatalogQuery>) => void;
}) {
  return (
    <fieldset class="filters">
      <legend class="visually-hidden">Filters</legend>
      {TEXT_FILTERS.map(({ key, label }) => (
        <TextFilterField
          key={key}
          name={key}
          label={label}
          value={query[key]}
          options={suggestions[key]}
          onCommit={(value) => onChange({ [key]: value })}
        />
      ))}
      <div class="field">
        <label for="filter-repository">Repository</label>
        <select
          id="filter-repository"
          name="repository"
          value={query.repository}
          onChange={(event) =>
            onChange({ repository: event.currentTarget.value as CatalogQuery['repository'] })
          }
        >
          <option value="">any</option>
          {REPOSITORY_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-state">State</label>
        <select
          id="filter-state"
          name="state"
          value={query.state}
          onChange={(event) =>
            onChange({ state: event.currentTarget.value as CatalogQuery['state'] })
          }
        >
          <option value="">any</option>
          {PLUGIN_STATES.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

function TextFilterField({
  name,
  label,
  value,
  options,
  onCommit,
}: {
  readonly name: TextFilter;
  readonly label: string;
  readonly value: string;
  readonly options: readonly string[];
  readonly onCommit: (value: string) => void;
}) {
  return (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <CommitInput
        id={`filter-${name}`}
        name={name}
        type="text"
        list={`filter-${name}-options`}
        autocomplete="off"
        spellcheck={false}
        placeholder="any"
        value={value}
        onCommit={onCommit}
      />
      <datalist id={`filter-${name}-options`}>
        {options.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
    </div>
  );
}
