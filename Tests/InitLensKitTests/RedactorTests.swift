import Testing

@testable import InitLensKit

@Suite struct RedactorTests {
  let secrets = Redactor()
  let ids = Redactor(secrets: true, ids: true)

  @Test(arguments: [
    (
      "open 'http://169.254.169.254/latest/api/token' with {'headers': {'X-aws-ec2-metadata-token': 'AQAEAKXfGQ2k1Ki7yHQkB5sXsQ5Tz9y=='}}",
      "open 'http://169.254.169.254/latest/api/token' with {'headers': {'X-aws-ec2-metadata-token': '[REDACTED-IMDS-TOKEN]'}}"
    ),
    (
      "curl -H \"X-aws-ec2-metadata-token: AQAEAKXfGQ2k1Ki7yHQkB5sXsQ5Tz9y\" http://x",
      "curl -H \"X-aws-ec2-metadata-token: [REDACTED-IMDS-TOKEN]\" http://x"
    ),
    ("key AKIAIOSFODNN7EXAMPLE used", "key [REDACTED-ACCESS-KEY] used"),
    (
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "aws_secret_access_key = [REDACTED-SECRET-KEY]"
    ),
    (
      "\"SessionToken\": \"" + String(repeating: "A", count: 120) + "\"",
      "\"SessionToken\": \"[REDACTED-SESSION-TOKEN]\""
    ),
    ("password: hunter2", "password: [REDACTED-PASSWORD]"),
    ("  echo ec2-user:S3cret! | chpasswd", "  echo ec2-user:[REDACTED-PASSWORD] | chpasswd"),
  ])
  func secretsAreRemoved(_ input: String, _ expected: String) {
    #expect(secrets.redact(input) == expected)
  }

  @Test func nearMissesStay() {
    for line in [
      "X-aws-ec2-metadata-token-ttl-seconds: 21600",
      "Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]",
      "Waiting for instance to go InService", "i-0123456789abcdef0 10.0.1.23",
    ] {
      #expect(secrets.redact(line) == line)
    }
  }

  @Test func identifiersGetStablePseudonyms() {
    let a = ids.redact("instance i-0123456789abcdef0 at 10.0.1.23 in 123456789012 host ip-10-0-1-23.ec2.internal")
    let b = ids.redact("again i-0123456789abcdef0 and 10.0.1.23")
    #expect(!a.contains("i-0123456789abcdef0") && !a.contains("10.0.1.23") && !a.contains("123456789012"))
    #expect(!a.contains("ip-10-0-1-23"))
    let pseudonym = a.split(separator: " ")[1]
    #expect(b.contains(pseudonym))
    // The metadata service's own address tells how a boot failed and stays.
    #expect(
      ids.redact("Calling 'http://169.254.169.254/latest/api/token'")
        == "Calling 'http://169.254.169.254/latest/api/token'")
  }

  @Test func reportsAreRedactedByDefault() throws {
    let log =
      "2025-06-25 14:58:02,470 - url_helper.py[WARNING]: Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503] password=hunter2"
    let (report, _) = analyze([("cloud-init.log", log)], rules: repoRules)
    let json = JSONRenderer.render(report)
    #expect(!json.contains("hunter2"))
    #expect(json.contains("[REDACTED-PASSWORD]"))
    var options = AnalyzerOptions()
    options.redact = false
    let (plain, _) = analyze([("cloud-init.log", log)], rules: repoRules, options: options)
    #expect(JSONRenderer.render(plain).contains("hunter2"))
  }
}
