"use client";

import { useEffect, useState } from "react";
import { ModalBody, ModalDialog } from "@/components/ui/modal-dialog";

// The claims list's keyboard shortcuts (as in Gmail or GitHub): / search, j/k move between rows,
// x select, o open, ? this help. None fires while typing in a field, with a modifier held, or while
// a dialog is open. Moving puts focus on the row's claim link, so the row is announced and visible.

const SHORTCUTS = [
  { key: "/", does: "Go to the search box" },
  { key: "j", does: "Next claim" },
  { key: "k", does: "Previous claim" },
  { key: "x", does: "Select or unselect the current claim" },
  { key: "o", does: "Open the current claim" },
  { key: "?", does: "Show these shortcuts" },
] as const;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
}

const rows = () => Array.from(document.querySelectorAll<HTMLTableRowElement>("main table tbody tr"));
const currentRow = () => (document.activeElement?.closest("main table tbody tr") as HTMLTableRowElement | null) ?? null;
const rowLink = (row: HTMLTableRowElement) => row.querySelector<HTMLAnchorElement>("th a");

function move(step: 1 | -1) {
  const all = rows();
  if (all.length === 0) return;
  const at = currentRow();
  const index = at ? all.indexOf(at) + step : step === 1 ? 0 : all.length - 1;
  const next = all[Math.max(0, Math.min(all.length - 1, index))];
  const link = next && rowLink(next);
  if (link) {
    link.focus();
    link.scrollIntoView({ block: "nearest" });
  }
}

export function ClaimsShortcuts() {
  const [help, setHelp] = useState(false);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (document.querySelector("dialog[open]")) return;
      const row = currentRow();
      switch (e.key) {
        case "/": {
          const search = document.querySelector<HTMLInputElement>('main input[name="q"]');
          if (!search) return;
          e.preventDefault();
          search.focus();
          search.select();
          return;
        }
        case "j":
        case "k":
          e.preventDefault();
          move(e.key === "j" ? 1 : -1);
          return;
        case "x":
          if (!row) return;
          e.preventDefault();
          row.querySelector<HTMLInputElement>('td input[type="checkbox"]')?.click();
          rowLink(row)?.focus();
          return;
        case "o":
          if (!row) return;
          e.preventDefault();
          rowLink(row)?.click();
          return;
        case "?":
          e.preventDefault();
          setHelp(true);
          return;
      }
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => setHelp(true)}
        className="mb-4 text-sm font-semibold text-primary-dark underline"
        aria-keyshortcuts="Shift+?"
      >
        Keyboard shortcuts
      </button>
      <ModalDialog open={help} onClose={() => setHelp(false)} title="Keyboard shortcuts" size="narrow">
        <ModalBody>
          <p className="mb-3">On the claims list, when you are not typing in a field:</p>
          <table className="w-full text-left">
            <caption className="sr-only">Keys and what they do</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-4">
                  Key
                </th>
                <th scope="col" className="py-1">
                  Does
                </th>
              </tr>
            </thead>
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.key} className="border-t border-base-light">
                  <td className="py-1 pr-4">
                    <kbd className="rounded border border-gray-500 bg-gray-100 px-2 font-mono">{s.key}</kbd>
                  </td>
                  <td className="py-1">{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ModalBody>
      </ModalDialog>
    </>
  );
}
