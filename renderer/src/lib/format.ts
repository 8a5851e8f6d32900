/**
 * How the UI writes sizes, limits, percentages and time left. The pure functions live in
 * main/api/display-format.ts so the CLI writes the same words; this file re-exports them for pages.
 */
export {
  expiresIn, expiresSoon, expiryPhrase, extendedExpiry, formatBytes, formatCpus, formatDate, formatDuration, formatExpiryPreview,
  formatGpus, formatPercent, formatRelative, formatUsage, limitsOf, timeLeft,
} from '../../../main/api/display-format';
