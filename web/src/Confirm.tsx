import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal question before an action that changes what every officer works with (activating a
 * model, retiring a profile). The browser's own modal dialog keeps focus inside it and closes on
 * Escape; the confirming button has the focus, so Enter confirms and Escape cancels.
 */
export function Confirm({
  title,
  confirm,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  /** The label of the confirming button: what will happen. */
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      <div className="actions">
        <button className="primary" autoFocus onClick={onConfirm}>
          {confirm}
        </button>
        <button onClick={onCancel}>Cancel</button>
      </div>
    </dialog>
  );
}
