extension BinaryInteger {
    /// This non-negative number in at least `width` digits of `radix`, zeros in
    /// front: 7 → "07", 0xe9 in 4 hex digits → "00e9". The one zero-padding rule
    /// of dates, clocks, countdowns and escapes.
    public func zeroPadded(_ width: Int = 2, radix: Int = 10, uppercase: Bool = false) -> String {
        let digits = String(self, radix: radix, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
