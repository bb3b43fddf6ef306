/// Where each part of the screen is, for a terminal of `width` x `height`:
/// the one answer the reducer (scrolling, paging) and the screens (drawing)
/// both use, so what can be scrolled to is exactly what can be seen.
///
/// Every screen has a header row at the top and two footer rows at the
/// bottom (message or key hints, then the connection line).
public struct ScreenGeometry: Sendable, Hashable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Below this the screens show "terminal too small" instead.
    public static let minimumWidth = 40
    public static let minimumHeight = 10

    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    public static let footerRows = 2
    /// The footer's hint (or message) row and the connection row.
    public var hintRow: Int { height - 2 }
    public var statusRow: Int { height - 1 }

    // MARK: List

    /// Under the header: the filter line, then the column titles.
    public let listFilterRow = 1
    public let listTitleRow = 2
    /// The first meeting row.
    public let listTop = 3
    /// Meeting rows between the column titles and the footer.
    public var listRows: Int { max(1, height - listTop - Self.footerRows) }

    // MARK: Detail

    public let detailTop = 1
    /// Text starts one column in and keeps one column free on the right.
    public let detailLeft = 1
    public var detailTextWidth: Int { max(1, width - 2 * detailLeft) }
    /// The "lines a-b of n" row, just above the footer.
    public var detailPositionRow: Int { height - Self.footerRows - 1 }
    /// Lines of detail text between the header and the position row.
    public var detailRows: Int { max(1, detailPositionRow - detailTop) }

    // MARK: Help overlay

    /// The help box for `lineCount` lines of help: centred, at most 64 wide,
    /// a row of border top and bottom, and the "any other key closes" row.
    public func helpBox(lineCount: Int) -> (x: Int, y: Int, width: Int, height: Int) {
        let w = max(4, min(width - 2, 64))
        let h = max(4, min(height - 2, lineCount + 3))
        return ((width - w) / 2, (height - h) / 2, w, h)
    }

    /// Help lines the box shows at once.
    public func helpRows(lineCount: Int) -> Int { max(1, helpBox(lineCount: lineCount).height - 3) }

    // MARK: Form

    public let formTop = 1
    /// Form lines between the header and the footer.
    public var formRows: Int { max(1, height - formTop - Self.footerRows) }
}
