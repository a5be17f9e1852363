// The model client's public surface: what the loop, the CLI and the extension import.
export { OpenAIModelClient, estimateUsage, type OpenAIModelClientOptions, type RetryInfo } from './openaiClient';
export { ModelError, type ModelErrorKind } from './errors';
export {
  costOf, priceFor, priceBasis, describePriceBasis, effectivePricing, DEFAULT_PRICES, DEFAULT_PRICES_DATE, UsageTracker,
  type Pricing, type PriceBasis, type UsageTotals,
} from './pricing';
export { defaultBackoff, type BackoffPolicy, type Sleep } from './retry';
export { listModels, ModelListError, type ListModelsOptions } from './listModels';
export {
  parseProviderProfiles, parseProfile, resolveProvider, ProfileError, PROVIDER_TYPES,
  type ProviderProfile, type ProviderOverrides, type ProviderPrices, type ResolvedProvider,
} from './profiles';
export { resolveEndpoint, isLocalUrl, AZURE_DEFAULT_API_VERSION, EndpointError, type Endpoint, type ProviderType } from './endpoint';
export { probeOllama, ollamaSizing, type OllamaModelInfo, type OllamaSizing } from './ollama';
export { errorText } from './errorBody';
