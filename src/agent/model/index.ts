// The model client's public surface: what the loop, the CLI and the extension import.
export { OpenAIModelClient, estimateUsage, type OpenAIModelClientOptions, type RetryInfo } from './openaiClient';
export { ModelError, type ModelErrorKind } from './errors';
export { costOf, priceFor, UsageTracker, type Pricing, type UsageTotals } from './pricing';
export { defaultBackoff, type BackoffPolicy, type Sleep } from './retry';
export { listModels, ModelListError, type ListModelsOptions } from './listModels';
