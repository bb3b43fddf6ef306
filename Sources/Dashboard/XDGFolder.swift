#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// coclick's folder in one of the XDG base directories: the config file and
/// user themes, the create form's drafts (and crash reports), the cached list.
/// Every place that keeps or reads a file of coclick's asks here, so each
/// gets the same answer for the same environment.
public enum XDGFolder: Sendable, CaseIterable {
    case config, state, cache

    /// The variable that names the base directory.
    public var variable: String {
        switch self {
        case .config: "XDG_CONFIG_HOME"
        case .state: "XDG_STATE_HOME"
        case .cache: "XDG_CACHE_HOME"
        }
    }

    /// The base directory under `HOME` when the variable does not name one.
    var underHome: String {
        switch self {
        case .config: ".config"
        case .state: ".local/state"
        case .cache: ".cache"
        }
    }

    /// `$XDG_…_HOME/coclick`, or `$HOME/<default>/coclick`; nil when neither
    /// gives a folder. The XDG spec makes a relative path (and so an empty
    /// one) invalid, to be ignored: it would name a folder under whatever the
    /// working directory happens to be. An empty or relative `HOME` gives
    /// nothing for the same reason.
    public func url(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let base = environment[variable], base.hasPrefix("/") {
            return URL(fileURLWithPath: base).appendingPathComponent("coclick")
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(underHome).appendingPathComponent("coclick")
    }
}
