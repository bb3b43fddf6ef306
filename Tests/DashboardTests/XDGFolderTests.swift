@testable import Dashboard
import Foundation
import Testing

@Suite("XDG folders")
struct XDGFolderTests {
    @Test func anAbsoluteVariableNamesTheFolder() {
        let env = ["XDG_CONFIG_HOME": "/x/config", "XDG_STATE_HOME": "/x/state", "XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]
        #expect(XDGFolder.config.url(environment: env)?.path == "/x/config/coclick")
        #expect(XDGFolder.state.url(environment: env)?.path == "/x/state/coclick")
        #expect(XDGFolder.cache.url(environment: env)?.path == "/x/cache/coclick")
    }

    @Test func unsetEmptyOrRelativeFallsBackToHome() {
        let expected: [XDGFolder: String] = [
            .config: "/home/u/.config/coclick", .state: "/home/u/.local/state/coclick", .cache: "/home/u/.cache/coclick",
        ]
        for folder in XDGFolder.allCases {
            for value in [nil, "", "relative", "./dot", "~/tilde"] as [String?] {
                var env = ["HOME": "/home/u"]
                env[folder.variable] = value
                #expect(folder.url(environment: env)?.path == expected[folder], "\(folder.variable)=\(value ?? "unset")")
            }
        }
    }

    @Test func withoutAHomeOnlyAnAbsoluteVariableGivesAFolder() {
        for folder in XDGFolder.allCases {
            for home in [nil, "", "relative"] as [String?] {
                var env: [String: String] = [:]
                env["HOME"] = home
                #expect(folder.url(environment: env) == nil)
                env[folder.variable] = "rel"
                #expect(folder.url(environment: env) == nil)
                env[folder.variable] = "/abs"
                #expect(folder.url(environment: env)?.path == "/abs/coclick")
            }
        }
    }

    /// The drafts, the cached list and the user themes all follow the one rule.
    @Test func everyUserGetsTheSameAnswer() {
        let environments: [[String: String]] = [
            [:], ["HOME": ""], ["HOME": "/home/u"],
            ["HOME": "/home/u", "XDG_CONFIG_HOME": "rel", "XDG_STATE_HOME": "rel", "XDG_CACHE_HOME": "rel"],
            ["HOME": "/home/u", "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": "", "XDG_CACHE_HOME": ""],
            ["XDG_CONFIG_HOME": "/c", "XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/k"],
        ]
        for env in environments {
            #expect(DraftStore.defaultDirectory(environment: env) == XDGFolder.state.url(environment: env))
            #expect(ListCache.defaultDirectory(environment: env) == XDGFolder.cache.url(environment: env))
            #expect(DashboardSettings.defaultUserThemeDirectory(environment: env)
                    == XDGFolder.config.url(environment: env)?.appendingPathComponent("themes"))
        }
        // A relative XDG_CONFIG_HOME is ignored for themes too.
        #expect(DashboardSettings.defaultUserThemeDirectory(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "rel"])?.path
                == "/home/u/.config/coclick/themes")
    }
}
