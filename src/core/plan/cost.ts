/**
 * Money, for paid APIs: the user gives a price per million input and output tokens for an endpoint;
 * a run's (projected or measured) tokens per role turn into a cost. Roles on a free or local model
 * have no price and cost nothing; with no price at all the cost is unknown (null), not zero.
 */
import type { Role } from '../contracts/run-config';
import type { RoleStats } from '../contracts/run-events';
import { ROLES } from '../contracts/run-config';

export interface TokenPrice {
  /** Per million prompt (input) tokens. */
  inputPerM: number;
  /** Per million generated (output) tokens. */
  outputPerM: number;
}

export function isPrice(p: Partial<TokenPrice> | null | undefined): p is TokenPrice {
  const ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  return !!p && ok(p.inputPerM) && ok(p.outputPerM) && (p.inputPerM! > 0 || p.outputPerM! > 0);
}

export function tokenCost(stats: Pick<RoleStats, 'promptTokens' | 'generatedTokens'>, price: TokenPrice): number {
  return (stats.promptTokens * price.inputPerM + stats.generatedTokens * price.outputPerM) / 1e6;
}

/** Total over the roles that have a price; null when none has one. */
export function runCost(
  perRole: Partial<Record<Role, Pick<RoleStats, 'promptTokens' | 'generatedTokens'>>>,
  priceOf: (role: Role) => TokenPrice | null,
): number | null {
  let total: number | null = null;
  for (const role of ROLES) {
    const price = priceOf(role);
    const stats = perRole[role];
    if (!price || !stats) continue;
    total = (total ?? 0) + tokenCost(stats, price);
  }
  return total;
}

/** "$0.42", "$0.0031", "$12": enough digits to be useful at any scale. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 10) return `$${usd.toFixed(0)}`;
  if (usd >= 0.1) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2)}`;
}
