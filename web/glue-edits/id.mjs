// A name in the Closure-minified glue (one or more word characters or $), for the edits' patterns.
export const id = '[\\w$]+';
