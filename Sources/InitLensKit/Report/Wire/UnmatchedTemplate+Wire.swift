// Unmatched-line templates on the wire (see Report+Wire.swift).

extension UnmatchedTemplate: Decodable {
  enum Key: String, CodingKey { case boots, count, examples, hosts, id, template }

  func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key(Key.boots)
    w.int(boots)
    w.key(Key.count)
    w.int(count)
    w.key(Key.examples)
    w.array(examples) { w, e in e.write(to: &w) }
    w.key(Key.hosts)
    w.int(hosts)
    w.key(Key.id)
    w.string(id)
    w.key(Key.template)
    w.string(template)
    w.endObject()
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    self.init(
      id: try c.decode(String.self, forKey: .id), template: try c.decode(String.self, forKey: .template),
      hosts: try c.decode(Int.self, forKey: .hosts), boots: try c.decode(Int.self, forKey: .boots),
      count: try c.decode(Int.self, forKey: .count), examples: try c.decode([Evidence].self, forKey: .examples))
  }
}
