/// What `coclick --version` prints: name, version, commit, Swift version.
enum BuildInfo {
    static let version = "0.1.0"

    /// The compiler that built this binary.
    static let swiftVersion: String = {
        #if compiler(>=6.5)
        return "6.5 or later"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3.2)
        return "6.3.2"
        #elseif compiler(>=6.3.1)
        return "6.3.1"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }()

    static let versionLine = "coclick \(version) (commit \(BuildCommit.commit), Swift \(swiftVersion))"
}
