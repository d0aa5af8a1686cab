// Shared with HostileInputTests (Tests/TestSupport): Repo, repoRules, analyze/analyzeInMemory,
// ProcessRun, bounded, gzip, shell, SplitMix, `.requires(…)`. Exported so that every file of this
// target sees them without importing it.
@_exported import TestSupport
