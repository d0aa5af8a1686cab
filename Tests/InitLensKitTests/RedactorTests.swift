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

  /// What a `set -x` user-data script prints (bash's xtrace, `declare -p`), raw and as a journal's
  /// JSON line escapes it: the values go, the structure stays.
  @Test(arguments: [
    (
      "+ aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "+ aws configure set aws_secret_access_key [REDACTED-SECRET-KEY]"
    ),
    (
      "+ aws configure set --profile prod aws_session_token IQoJb3JpZ2luX2Vj --region us-east-1",
      "+ aws configure set --profile prod aws_session_token [REDACTED-SESSION-TOKEN] --region us-east-1"
    ),
    (
      "+ aws configure set default.aws_secret_access_key short",
      "+ aws configure set default.aws_secret_access_key [REDACTED-SECRET-KEY]"
    ),
    (
      "+ aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE",
      "+ aws configure set aws_access_key_id [REDACTED-ACCESS-KEY]"
    ),
    (
      "declare -x AWS_SECRET_ACCESS_KEY=\"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbDECLAREKEY\"",
      "declare -x AWS_SECRET_ACCESS_KEY=\"[REDACTED-SECRET-KEY]\""
    ),
    (
      "+ export AWS_SESSION_TOKEN=FwoGZXIvYXdzEXPORTSESSIONTOKEN0123456789abcdefghijklmnopqrstuv",
      "+ export AWS_SESSION_TOKEN=[REDACTED-SESSION-TOKEN]"
    ),
    (
      #"{"MESSAGE":"declare -x AWS_SECRET_ACCESS_KEY=\"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbDECLAREKEY\""}"#,
      #"{"MESSAGE":"declare -x AWS_SECRET_ACCESS_KEY=\"[REDACTED-SECRET-KEY]\""}"#
    ),
    (
      "+ docker login -u AWS -p eyJwYXlsb2FkIjoiRE9DS0VSLVAtU0VDUkVUIn0 https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
      "+ docker login -u AWS -p [REDACTED-PASSWORD] https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
    ),
    (
      "+ docker login --username AWS --password Sup3r-Secret-Pass registry.example.com",
      "+ docker login --username AWS --password [REDACTED-PASSWORD] registry.example.com"
    ),
    (
      "+ docker login --username AWS --password=Another.Secret_Pw registry.example.com",
      "+ docker login --username AWS --password=[REDACTED-PASSWORD] registry.example.com"
    ),
    (
      #"+ echo 'ECS_ENGINE_AUTH_DATA={"https://index.docker.io/v1/":{"username":"deploy","password":"p@ss word,42","email":"ops@example.com"}}'"#,
      #"+ echo 'ECS_ENGINE_AUTH_DATA={"https://index.docker.io/v1/":{"username":"deploy","password":"[REDACTED-PASSWORD]","email":"ops@example.com"}}'"#
    ),
    (
      #"ECS_ENGINE_AUTH_DATA={"registry.example.com":{"auth":"ZGVwbG95OkF1dGhTZWNyZXQ5OQ==","email":"ops@example.com"}}"#,
      #"ECS_ENGINE_AUTH_DATA={"registry.example.com":{"auth":"[REDACTED-AUTH]","email":"ops@example.com"}}"#
    ),
    (
      #"{"MESSAGE":"+ echo 'ECS_ENGINE_AUTH_DATA={"r":{"auth":"ZGVwbG95","password":"p w"}}'"}"#,
      #"{"MESSAGE":"+ echo 'ECS_ENGINE_AUTH_DATA={"r":{"auth":"[REDACTED-AUTH]","password":"[REDACTED-PASSWORD]"}}'"}"#
    ),
    // An evidence line cut at its byte limit in the middle of the value.
    ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI", "AWS_SECRET_ACCESS_KEY=[REDACTED-SECRET-KEY]"),
  ])
  func setXShapesAreRemoved(_ input: String, _ expected: String) {
    #expect(secrets.redact(input) == expected)
  }

  @Test func nearMissesStay() {
    for line in [
      "X-aws-ec2-metadata-token-ttl-seconds: 21600",
      "Calling 'http://169.254.169.254/latest/api/token' failed [0/120s]: bad status code [503]",
      "Waiting for instance to go InService", "i-0123456789abcdef0 10.0.1.23",
      "+ docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com",
      "+ aws configure set region us-east-1", "+ docker pull nginx:latest",
      #"ECS_ENGINE_AUTH_TYPE=dockercfg"#,
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
