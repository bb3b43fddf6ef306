/// The few string operations the code needs that Foundation's full module
/// would bring (FoundationEssentials has no `trimmingCharacters(in:)`).
extension StringProtocol {
    /// Without leading and trailing white space (spaces, tabs, newlines).
    public var trimmed: String { trimming { $0.isWhitespace } }

    /// Without leading and trailing spaces and tabs (what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` removes): line breaks stay.
    public var trimmedSpaces: String { trimming { $0.isWhitespace && !$0.isNewline } }

    /// Without the leading and trailing characters that are `blank`.
    private func trimming(_ blank: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !blank($0) }),
              let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
