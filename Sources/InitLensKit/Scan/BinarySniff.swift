/// Whether an input's head is binary data, not text: an executable, an image, an archive that is not
/// gzip, a systemd journal file. `initlens` names such an input on stderr instead of reporting its
/// bytes as lines read.
///
/// NUL bytes alone do not make binary data (a crash leaves NUL padding in a log, UTF-16 text is half
/// NULs): of the other bytes of the first 8 KiB, more than one in ten must be neither printable text,
/// a usual control character (tab, line ends, form feed, backspace, escape) nor part of a valid UTF-8
/// sequence. A head of NULs only is binary too. Text in a legacy 8-bit encoding (a few accented
/// letters) stays far below that share; executables, images and compressed data are at 30-70 %.
public enum BinarySniff {
  /// The bytes of the head that are looked at.
  public static let sampleBytes = 8192

  public static func isBinary(_ p: UnsafeRawBufferPointer) -> Bool {
    let n = min(p.count, sampleBytes)
    var nul = 0
    var odd = 0
    var i = 0
    while i < n {
      let b = p[i]
      if b == 0 {
        nul += 1
      } else if b < 0x20 || b == 0x7F {
        // \b \t \n \v \f \r and ESC (colour codes) are text.
        if !(0x08...0x0D).contains(b) && b != 0x1B { odd += 1 }
      } else if b >= 0x80 {
        let length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
        // A sequence cut by the end of the sample counts as text.
        if i + length > n { break }
        if length > 0 && (1..<length).allSatisfy({ p[i + $0] & 0xC0 == 0x80 }) {
          i += length
          continue
        }
        odd += 1
      }
      i += 1
    }
    let others = n - nul
    if others == 0 { return nul > 0 }
    return odd * 10 > others
  }

  /// A systemd journal file (`*.journal`): its header starts with `LPKSHHRH`.
  public static func isJournalFile(_ p: UnsafeRawBufferPointer) -> Bool { p.starts(with: "LPKSHHRH".utf8) }

  /// What `initlens` says of a binary input: one clause, after its name.
  public static func describe(_ p: UnsafeRawBufferPointer) -> String {
    isJournalFile(p)
      ? "not a log: a binary systemd journal file (read it with journalctl --file FILE -o short-iso | initlens)"
      : "not a log: binary data (give a text log, plain or .gz)"
  }
}
