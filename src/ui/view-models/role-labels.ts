import type { Role } from '../../core/contracts/run-config';

/** What each role is called on the page (Setup's role list, and messages about the roles). */
export const ROLE_LABELS: Record<Role, string> = {
  policy: 'Policy (the model being aligned)',
  aspect: 'Aspect selector',
  judge: 'Judge',
  optimizer: 'Optimizer',
};

/** The same roles named inside a sentence: "The judge and optimizer use …". */
export const ROLE_NOUNS: Record<Role, string> = {
  policy: 'policy model',
  aspect: 'aspect selector',
  judge: 'judge',
  optimizer: 'optimizer',
};
