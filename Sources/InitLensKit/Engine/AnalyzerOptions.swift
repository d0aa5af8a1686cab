/// Options of one analysis run.
public struct AnalyzerOptions: Sendable {
  /// Year for year-less syslog stamps; when nil: a dated line near the input's start, else the file's
  /// modification year, else `fallbackYear`.
  public var year: Int? = nil
  public var fallbackYear = 2025
  public var inputFormat: InputFormat = .auto
  /// Evidence lines kept per incident.
  public var maxEvidence = 5
  /// Lines longer than this are counted as skipped (`too-long`), never buffered whole.
  public var maxLineBytes = 1 << 20
  public var readBufferBytes = 256 * 1024
  public var usePrefilter = true
  /// Remove secrets (IMDS tokens, AWS keys, passwords) from everything shown of a log (on by default).
  public var redact = true
  /// Also replace account ids, instance ids, IPs and ip-a-b-c-d host names by stable pseudonyms.
  public var redactIDs = false
  /// Time every rule's pattern (`--profile-rules`); costs two clock reads per candidate line and rule.
  public var profileRules = false
  /// What one gzip input may inflate to.
  public var maxInflatedBytes = 8 << 30
  /// Threads that scan one large regular file (0: as many as cores); 1 reads sequentially.
  public var scanThreads = 0
  /// Files smaller than this are read by one thread.
  public var parallelScanBytes = 32 << 20
  /// The size of the ranges those threads take; memory holds a few ranges' candidate lines at most.
  public var parallelChunkBytes = 4 << 20
  /// Evidence text is cut to this many bytes.
  public var maxEvidenceBytes = 2000
  /// The host of inputs that name none when no input names exactly one (fleet: the bundle's name).
  public var defaultHost = "unknown"
  /// The instance these inputs come from, when the caller knows it (a fleet bundle's directory, archive
  /// or key names it): the one host name they give is reported as this instance (`HostIdentity`).
  public var instanceID: String? = nil
  /// Host names known to be another host (fleet: what a bundle's own reading found): name → key.
  public var hostAliases: [String: String] = [:]
  /// When set (and the analyzer's sink takes boots early), a named host none of whose examined lines is
  /// newer than this (µs of log time) is finalised while reading: its boots go to the sink and its
  /// state is dropped, so memory does not grow with the number of hosts. For one stream (a journal,
  /// `watch`): a host that shows up again after that is reported with the boots it shows then.
  public var retireAfterMicros: Int64? = nil
  /// Every segment is a boot from its first line (`watch`: `journalctl -f` shows no boot marker), so
  /// hits are folded into incidents at once instead of waiting for the run's end to be placed.
  public var anchorEverySegment = false
  public init() {}
}

/// A problem with an input: `FILE:LINE: message` (line when there is one).
public struct InputDiagnostic: Sendable, Equatable, CustomStringConvertible {
  public let file: String
  public let line: Int?
  public let message: String
  /// True when part of the input could not be read (exit status 2).
  public let lostInput: Bool
  public var description: String {
    if let line { return "\(file):\(line): \(message)" }
    return "\(file): \(message)"
  }
}
