// The one place that puts a count and a noun together, so no page says "1 claims" or "1 items".

const number = new Intl.NumberFormat("en-US");

// The noun for n: plural(n, "claim") → "claim" for 1, "claims" otherwise; irregular plurals given.
export function plural(n: number, one: string, many = `${one}s`) {
  return n === 1 ? one : many;
}

// "1 claim", "40,073 claims".
export function countOf(n: number, one: string, many = `${one}s`) {
  return `${number.format(n)} ${plural(n, one, many)}`;
}
