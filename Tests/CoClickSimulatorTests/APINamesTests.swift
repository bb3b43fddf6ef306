import CoClickAPI
import Foundation
import Testing

/// Each API name (fields, `q[...]` keys, sort orders, statuses, headers,
/// paths) is spelled once, in CoClickAPI: no string literal elsewhere says one.
@Suite struct APINamesTests {
    /// The modules checked (below Sources/).
    static let modules = ["CoClickSimulator"]

    @Test func noAPINameIsALiteralOutsideCoClickAPI() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        var checked = 0
        var found: [String] = []
        for module in Self.modules {
            let dir = sources.appendingPathComponent(module)
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }.sorted()
            for file in files {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                found += APINames.literalsNaming(in: text).map { "\(module)/\(file): \($0)" }
                checked += 1
            }
        }
        #expect(checked > 5)
        #expect(found.isEmpty, "API names spelled outside CoClickAPI:\n\(found.joined(separator: "\n"))")
    }

    /// The scanner finds names in literals, in the pieces around an
    /// interpolation and in raw and multi-line strings, and not in comments.
    @Test func theScannerFindsWhatItShould() {
        let source = #"""
        // "starts_at" in a comment is fine
        /* "cobrowsing_url" too */
        let a = "starts_at"
        let b = "\(x) q[user_email_cont]=\(y)"
        let c = #"cancelled"#
        let d = """
            sort: starts_at asc
            """
        let e = "nothing to see \("user") here"
        let f = "user must exist, status unknown"
        let g = "value\(esc)[2K"
        """#
        let found = APINames.literalsNaming(in: source)
        #expect(found == ["\"starts_at\"", "\"q[user_email_cont]\"", "\"cancelled\"", "\"starts_at asc\"", "\"user\""], "\(found)")
    }
}

enum APINames {
    /// Every name the API defines, from CoClickAPI.
    static let all: Set<String> = {
        var names = Set(MeetingKey.all.map(\.name) + [MeetingKey.wholeRequest.name])
        names.formUnion(MeetingField.allCases.map(\.name))
        names.formUnion(CookieField.allCases.map(\.rawValue))
        names.formUnion(AuthField.allCases.map(\.rawValue))
        names.formUnion(ErrorBodyField.allCases.map(\.rawValue))
        names.formUnion(QueryKey.allCases.map(\.rawValue))
        names.formUnion(MeetingStatus.documented.map(\.rawValue))
        names.formUnion(PageHeader.allCases.map(\.rawValue))
        names.formUnion([BearerAuthorization.header, BearerAuthorization.scheme])
        names.formUnion([APIPath.base, APIPath.authenticate, APIPath.meetings, APIPath.prospectRoom, APIPath.presenterRoom])
        for attribute in MeetingSort.Attribute.allCases {
            names.insert(MeetingSort(attribute, ascending: true).text)
            names.insert(MeetingSort(attribute, ascending: false).text)
        }
        return names
    }()

    /// Names that cannot be ordinary words (`starts_at`, `q[s]`, `X-Page`):
    /// found anywhere inside a literal; the others only as a whole literal
    /// (`"value"`, not the start of `"value\(esc)[2K"`).
    static let distinctive = all.filter { $0.contains(where: { "_[-/ ".contains($0) }) }.sorted { $0.count > $1.count }

    /// The names said by string literals of `source`, each as `"name"`.
    static func literalsNaming(in source: String) -> [String] {
        literalPieces(source).compactMap { piece in
            if piece.whole, all.contains(piece.text) { return "\"\(piece.text)\"" }
            return distinctive.first { piece.text.contains($0) }.map { "\"\($0)\"" }
        }
    }

    /// The text of every string literal, one piece per stretch between
    /// interpolations (`whole` when the literal has none); comments skipped.
    /// Enough of Swift's lexing for our sources: `"…"`, `"""…"""`, `#"…"#`,
    /// escapes, nested interpolations.
    static func literalPieces(_ source: String) -> [(text: String, whole: Bool)] {
        let s = Array(source.unicodeScalars)
        var pieces: [(text: String, whole: Bool)] = []
        var i = 0
        func at(_ k: Int, _ text: String) -> Bool {
            let t = Array(text.unicodeScalars)
            return k + t.count <= s.count && Array(s[k..<k + t.count]) == t
        }
        /// Reads a literal starting at `i` (on its opening quote run); returns past its end.
        func literal(hashes: Int) {
            let multi = at(i, "\"\"\"")
            let close = String(repeating: "\"", count: multi ? 3 : 1) + String(repeating: "#", count: hashes)
            let escape = "\\" + String(repeating: "#", count: hashes)
            i += multi ? 3 : 1
            var piece = String.UnicodeScalarView()
            var whole = true
            while i < s.count {
                if at(i, close) {
                    i += close.unicodeScalars.count
                    break
                }
                if at(i, escape) {
                    i += escape.unicodeScalars.count
                    if i < s.count, s[i] == "(" {
                        pieces.append((String(piece), false))
                        whole = false
                        piece = String.UnicodeScalarView()
                        i += 1
                        code(until: ")")
                    } else {
                        i += 1
                    }
                    continue
                }
                piece.append(s[i])
                i += 1
            }
            pieces.append((String(piece), whole))
        }
        /// Code up to an unmatched `end` (or the end of the source).
        func code(until end: Unicode.Scalar?) {
            var depth = 0
            while i < s.count {
                let c = s[i]
                if at(i, "//") {
                    while i < s.count, s[i] != "\n" { i += 1 }
                } else if at(i, "/*") {
                    i += 2
                    while i < s.count, !at(i, "*/") { i += 1 }
                    i += 2
                } else if c == "#" || c == "\"" {
                    var hashes = 0
                    while i + hashes < s.count, s[i + hashes] == "#" { hashes += 1 }
                    if i + hashes < s.count, s[i + hashes] == "\"" {
                        i += hashes
                        literal(hashes: hashes)
                    } else {
                        i += max(1, hashes)
                    }
                } else {
                    if c == "(" { depth += 1 }
                    if c == ")" {
                        if depth == 0, end == ")" { i += 1; return }
                        depth -= 1
                    }
                    i += 1
                }
            }
        }
        code(until: nil)
        return pieces.filter { !$0.text.isEmpty }
    }
}
