import CoClickAPI
import Dashboard
import Foundation

/// Where text goes: human text on stdout, diagnostics on stderr.
enum Output {
    static func line(_ s: String = "") {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    static func warn(_ s: String) {
        FileHandle.standardError.write(Data(("coclick: " + s + "\n").utf8))
    }

    /// One JSON document on stdout, with the API's own field names.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// A server string made safe for a terminal; `—` for nothing.
    static func safe(_ s: String?) -> String {
        guard let s, !s.isEmpty else { return "—" }
        return SafeText.escape(s)
    }
}

/// A plain text table whose columns line up even with wide characters.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    func render() -> String {
        var widths = header.map(TextWidth.of)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], TextWidth.of(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                let last = i == cells.count - 1
                out += cell
                if !last { out += String(repeating: " ", count: widths[i] - TextWidth.of(cell) + 2) }
            }
            return out
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
