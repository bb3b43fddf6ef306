import TerminalText

/// A plain text table whose columns line up even with wide characters. The
/// last column is never padded, so no line ends in spaces.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// An SGR style per cell (row, column), applied after alignment.
    var style: ((Int, Int) -> String?)?

    init(header: [String]) { self.header = header }

    func render() -> String { render(header: true, atLeast: []).text }

    /// The table, with or without its header line, its columns at least
    /// `atLeast` wide; and the widths used, so a table printed in pieces
    /// keeps (or widens) its columns from one piece to the next.
    func render(header withHeader: Bool, atLeast: [Int]) -> (text: String, widths: [Int]) {
        let header = self.header.map(Output.charset.fit)
        let rows = self.rows.map { $0.map(Output.charset.fit) }
        var widths = header.map(TextWidth.width)
        for (i, w) in atLeast.enumerated() where i < widths.count { widths[i] = max(widths[i], w) }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], TextWidth.width(cell))
            }
        }
        func line(_ cells: [String], row: Int?) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                let last = i == cells.count - 1
                let sgr = row.flatMap { r in style?(r, i) }
                out += Output.styled(cell, sgr)
                if !last { out += String(repeating: " ", count: widths[i] - TextWidth.width(cell) + 2) }
            }
            return out
        }
        let lines = (withHeader ? [line(header, row: nil)] : []) + rows.enumerated().map { line($0.element, row: $0.offset) }
        return (lines.joined(separator: "\n"), widths)
    }
}
