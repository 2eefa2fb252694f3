// A scrolling box around a wide or tall table: it takes focus so a keyboard user can scroll it (axe's
// scrollable-region-focusable), and its name tells a screen reader what it holds.
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className: string;
  children: React.ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard
    <section tabIndex={0} aria-label={label} className={className}>
      {children}
    </section>
  );
}
