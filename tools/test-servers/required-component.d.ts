/** Whether the tests of `what` can run; `installed` says whether `component` is here. */
export function requiredComponent(options: {
  component: string;
  installed: boolean;
  what: string;
  install: string;
}): boolean;
