import { useEffect, useRef } from "preact/hooks";

export interface ConfirmRequest {
  question: string;
  /** What the confirming button says: `reset the data`. */
  yes: string;
  onYes(): void;
}

/** A modal question before a destructive action; Escape or "cancel" leaves everything as it was. */
export function ConfirmDialog({ request, close }: { request: ConfirmRequest; close(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} data-testid="confirm" class="confirm" onClose={close}>
      <p>{request.question}</p>
      <div class="buttons">
        <button type="button" data-testid="confirm-no" onClick={close}>
          cancel
        </button>
        <button
          type="button"
          class="danger"
          data-testid="confirm-yes"
          onClick={() => {
            request.onYes();
            close();
          }}
        >
          {request.yes}
        </button>
      </div>
    </dialog>
  );
}
