/// The few string operations the code needs that Foundation's full module
/// would bring (FoundationEssentials has no `trimmingCharacters(in:)`).
extension StringProtocol {
    /// Without leading and trailing white space (spaces, tabs, newlines).
    public var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }

    /// Without leading and trailing spaces and tabs (what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` removes): line breaks stay.
    public var trimmedSpaces: String {
        let blank: (Character) -> Bool = { $0.isWhitespace && !$0.isNewline }
        guard let first = firstIndex(where: { !blank($0) }),
              let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
