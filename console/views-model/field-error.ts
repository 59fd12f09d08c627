/**
 * An error as the design system's error summary lists it: the message, and the field it links to.
 * Beside the view models that build such lists, so they need not import the page renderer.
 */
export interface FieldError {
  text: string;
  href: string;
}
