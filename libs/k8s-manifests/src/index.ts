// Charts and constructs
export { NamespaceChart, type NamespaceChartProps } from './charts/namespace-chart.js';
export { RagApiChart, type RagApiChartProps } from './charts/rag-api-chart.js';
export { configChecksum } from './charts/config-checksum.js';
export { DRAIN_KEY, SHUTDOWN_BUDGET_SECONDS, drainSeconds, terminationGracePeriodSeconds } from './charts/pod/shutdown.js';
export { RUN_AS_ID } from './charts/pod/security.js';
export { INGRESS_ALLOWED_LABEL } from './charts/constructs/network.js';

// Configuration source (libs/config by default)
export { configSourceFromKeys, libsConfigSource, type ConfigSource, type KeyInfo } from './config/config-source.js';

// Names and profiles
export * from './names.js';
export * from './profiles/index.js';

// Synthesis in memory and to disk
export { synthProfile, type SynthOptions, type SynthResult } from './synth/synth-profile.js';
export { fileNameOf, KUSTOMIZATION_FILE, kustomization, toYaml, writeProfile } from './synth/write-profile.js';

// Secrets: real values only in memory, at deploy time
export { readDotEnv } from './secret/dot-env.js';
export { secretFromEnv, describeSecretKeys } from './secret/secret-from-env.js';

// Validation
export { formatIssue, type IssueSource, type SchemaIssue } from './validate/issue.js';
export { validateWithModels } from './validate/models-validator.js';
export { SchemaValidator } from './validate/schema/schema-validator.js';
export { validateObjects, validateSchemas, type ValidationReport } from './validate/validate-objects.js';
export { formatReport } from './validate/report.js';
export { evaluatePolicy, type Finding, type PolicyResult, type WaivedFinding } from './validate/policy/evaluate.js';
export { POLICY_RULES } from './validate/policy/rules/index.js';
export { RULE_IDS, type PolicyRule, type RuleId, type Severity, type Violation } from './validate/policy/rule.js';

// Shared by the deploy (libs/local-deploy) and rehearsal (libs/pod-rehearsal) engines and their commands
export { DotEnvFileError } from './secret/dot-env.js';
export { readSynthDir } from './synth/read-synth-dir.js';
