import { useEffect, useState } from 'react';
import { api, problemOf } from '../api.ts';

interface CodeText {
  code: string;
  description: string;
}

interface Suggestion {
  hs6: string;
  code: string;
  confidence: number;
  words: string[];
  heading: CodeText;
  subheading: CodeText;
}

/** Descriptions shorter than this say too little to suggest a code. */
const shortest = 3;
/** Wait this long after the last key before asking. */
const pauseMs = 350;

/**
 * The HS subheadings a goods item's description suggests, asked for as the description is typed
 * (after a pause), each with how sure the aid is and the words behind it; picking one fills the
 * item's HS code. Says nothing until there is a description, and never blocks lodging.
 */
export function CodeSuggestions({
  item,
  description,
  date,
  origin,
  declared,
  onPick,
}: {
  item: number;
  description: string;
  date: string;
  origin: string;
  declared: string;
  onPick: (hs6: string) => void;
}) {
  const [found, setFound] = useState<Suggestion[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const text = description.trim();

  useEffect(() => {
    if (text.length < shortest) {
      setFound(null);
      setProblem(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      // cut by characters, never inside one written as two UTF-16 units
      const body: Record<string, unknown> = { description: [...text].slice(0, 512).join('') };
      if (/^\d{4}-\d{2}-\d{2}$/.test(date)) body.date = date;
      if (/^[A-Za-z]{2}$/.test(origin)) body.origin = origin.toUpperCase();
      api<{ suggestions: Suggestion[] }>('POST', '/api/classification/suggest', body).then(
        (r) => {
          if (!current) return;
          setFound(r.suggestions);
          setProblem(null);
        },
        (e: unknown) => {
          if (!current) return;
          setFound(null);
          setProblem(problemOf(e));
        },
      );
    }, pauseMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text, date, origin]);

  if (found === null && problem === null) return null;
  const title = `item-${item}-suggestions`;
  return (
    <section className="suggestions" aria-labelledby={title}>
      <h3 id={title}>Codes the description suggests</h3>
      {problem && <p role="status">No suggestions: {problem}</p>}
      {found?.length === 0 && <p role="status">No code found: describe the goods in more words.</p>}
      {found && found.length > 0 && (
        <ul>
          {found.map((s, k) => (
            <li key={s.hs6}>
              <button
                type="button"
                aria-pressed={declared.replace(/\D/g, '').startsWith(s.hs6)}
                onClick={() => onPick(s.hs6)}
                aria-label={`Use ${s.code}, ${s.subheading.description}, ${Math.round(s.confidence * 100)}% likely`}
              >
                {s.code}
              </button>{' '}
              <span>{s.subheading.description}</span>{' '}
              <span className="confidence">{Math.round(s.confidence * 100)}%</span>
              {s.words.length > 0 && <span className="words"> from “{s.words.join('”, “')}”</span>}
              {/* a heading's text once, at its first subheading */}
              {found[k - 1]?.heading.code !== s.heading.code && (
                <span className="heading">
                  {' '}
                  in {s.heading.code}: {s.heading.description}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
