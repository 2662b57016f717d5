import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';
import { api } from './api.ts';
import { searchDay, shown, typedAfterEdit, type PickerList } from './codeText.ts';

export type { PickerList };

interface Option {
  code: string;
  description: string;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'list' | 'id'>;

interface Props extends InputProps {
  id: string;
  value: string;
  onChange(value: string): void;
  list: PickerList;
  /** The day whose code list is searched (the declaration's date); the person's today when not a real day. */
  date: string;
}

const debounceMs = 150;
const limit = 20;

/**
 * A coded field with its code list: an ARIA 1.2 combobox whose listbox shows the codes matching what
 * is typed (a code or words, searched as in force on `date`). ArrowDown and ArrowUp move through the
 * options, Enter takes one, Escape closes the list and keeps the text; a code typed whole needs no
 * list. A code typed in lower case is upper-cased as it is typed; words searched for stay as typed.
 */
export function CodePicker({ id, value, onChange, list, date, onBlur, onKeyDown, ...rest }: Props) {
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [query, setQuery] = useState<string | null>(null);
  const asked = useRef(0);
  // the query whose answer is shown: until it is the one typed, the list is still being searched
  const [answered, setAnswered] = useState<string | null>(null);
  const searching = query !== null && answered !== query;
  // the text as the person typed it, of which the field shows `shown(list, typed)`
  const typed = useRef(value);
  if (shown(list, typed.current) !== value) typed.current = value; // set from outside: a pick, a reset
  const listId = `${id}-options`;
  const optionId = (i: number) => `${id}-option-${i}`;

  // search a moment after typing stops; only the latest answer is shown
  useEffect(() => {
    if (query === null) return;
    const timer = setTimeout(() => {
      const mine = ++asked.current;
      const params = new URLSearchParams({ q: query.slice(0, 100), limit: String(limit) });
      params.set('date', searchDay(date));
      api<{ items: Option[] }>('GET', `/api/reference/${list}?${params}`).then(
        (answer) => {
          if (mine !== asked.current) return;
          setOptions(answer.items);
          setActive(-1);
          setOpen(true);
          setAnswered(query);
        },
        () => {
          if (mine !== asked.current) return;
          setOptions([]);
          setOpen(false);
          setAnswered(query);
        },
      );
    }, debounceMs);
    return () => clearTimeout(timer);
  }, [query, list, date]);

  useEffect(() => {
    if (open && active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const close = () => {
    asked.current++; // an answer still on its way no longer opens the list
    setQuery(null); // nor does a search not yet sent
    setOpen(false);
    setActive(-1);
  };
  const pick = (option: Option) => {
    onChange(option.code);
    close();
  };
  const expanded = open && options.length > 0;

  return (
    <div className="picker">
      <input
        {...rest}
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        value={value}
        onChange={(e) => {
          const el = e.target;
          typed.current = typedAfterEdit(typed.current, value, el.value);
          const show = shown(list, typed.current);
          // a code is upper-cased where it is typed (each character stays one), the caret staying where it was
          if (el.value !== show) {
            const [start, end] = [el.selectionStart, el.selectionEnd];
            el.value = show;
            el.setSelectionRange(start, end);
          }
          onChange(el.value);
          setQuery(el.value);
        }}
        onKeyDown={(e) => {
          onKeyDown?.(e);
          if (e.altKey || e.ctrlKey || e.metaKey) return;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            // closed: open the list for what is in the field now
            if (!expanded) setQuery(value);
            else if (e.key === 'ArrowDown') setActive((a) => (a + 1) % options.length);
            else setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
          } else if (e.key === 'Enter' && expanded && active >= 0) {
            const option = options[active];
            if (option) {
              e.preventDefault(); // the option is taken; the form is not submitted
              pick(option);
            }
          } else if (e.key === 'Escape') {
            // the list closes; the text stays and so does the page
            if (expanded) {
              e.preventDefault();
              e.stopPropagation();
            }
            close();
          }
        }}
        onBlur={(e) => {
          close();
          onBlur?.(e);
        }}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Matching codes"
        aria-busy={searching || undefined}
        className="picker-options"
        hidden={!expanded}
      >
        {options.map((o, i) => (
          <li
            key={o.code}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            // the field keeps the focus; a click takes the option
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(o)}
          >
            <span className="picker-code">{o.code}</span> <span className="picker-text">{o.description}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
