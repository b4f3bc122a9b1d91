/**
 * HTML parsed with linkedom, seen through the few DOM members the sources use. linkedom's and
 * Readability's typings name the browser's DOM types, which this Node project does not load, so
 * they arrive untyped; these interfaces give them back a checked shape.
 */
import { parseHTML as linkedomParse } from 'linkedom';

/** A node of a parsed page. */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

/** An element of a parsed page. */
export interface DomElement extends DomNode {
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  remove(): void;
}

/** A parsed page. */
export interface DomDocument {
  readonly documentElement: DomElement | null;
  readonly body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

/** Node types the walkers tell apart. */
export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

// linkedom's declarations are written against the DOM library, which this project does not load
// (lib is ES2023 only), so its result type does not resolve: it is read through the shape used here.
const parseHTML = linkedomParse as unknown as (html: string) => { readonly document: DomDocument };

/** Parses a whole HTML document; text without an <html> element becomes the body of one. */
export function parseDocument(html: string): DomDocument {
  const document = parseHTML(html).document;
  // linkedom leaves documentElement null for markup without <html>, which Readability cannot take.
  return document.documentElement ? document : parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`).document;
}

/** Parses an HTML fragment (a feed item's content) into the body of an empty document. */
export function parseFragment(html: string): DomElement | null {
  return parseDocument(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`).body;
}

/** The attribute of the first element matching `selector`, trimmed; undefined when absent or empty. */
export function attribute(root: DomDocument | DomElement, selector: string, name: string): string | undefined {
  const value = root.querySelector(selector)?.getAttribute(name)?.trim();
  return value ? value : undefined;
}
