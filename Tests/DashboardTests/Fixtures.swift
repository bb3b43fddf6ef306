import CoClickAPI
import Dashboard
import Foundation

/// 2027-01-15 08:00:00 UTC.
let fixedNow = Date(timeIntervalSince1970: 1_800_000_000)
let utc = TimeZone(identifier: "UTC")!

func meeting(_ n: Int, status: MeetingStatus = .scheduled, minutes: Double = 60, user: String? = nil) -> Meeting {
    let id = String(format: "%02d", n) + String(repeating: "ab", count: 31)
    return Meeting(id: id, user: user ?? "user\(n)@example.com", status: status,
                   startsAt: APIDate(date: fixedNow.addingTimeInterval(minutes * 60), offsetSeconds: 3600))
}

func detail(of m: Meeting) -> Meeting {
    var d = m
    d.isDetail = true
    d.prospectRoomURL = "http://127.0.0.1/essai/room/\(m.id)"
    d.presenterRoomURL = "http://127.0.0.1/essai/presenter/\(m.id)"
    d.cobrowsingURL = "https://www.example.com"
    d.cookies = []
    return d
}

/// A dashboard's state; with `meetings`, that many loaded as one page (the page size grows to hold them).
func makeState(meetings count: Int = 0, width: Int = 80, height: Int = 24, clipboard: ClipboardMode = .auto, pageSize: Int = 20) -> AppState {
    var s = AppState(settings: DashboardSettings(refreshInterval: 15, pageSize: max(pageSize, count), clipboardMode: clipboard, userThemeDirectory: nil),
                     themeNames: ["default", "light", "high-contrast", "mono"], now: fixedNow, timeZone: utc,
                     width: width, height: height)
    if count > 0 {
        let page = MeetingPage(meetings: (0..<count).map { meeting($0, minutes: Double($0 * 10)) }, page: 1, per: s.pageSize)
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: page, company: "Acme", at: fixedNow))
    }
    return s
}

@discardableResult
func press(_ s: inout AppState, _ keys: Key...) -> [Effect] {
    var out: [Effect] = []
    for k in keys { out += reduce(&s, .key(k)) }
    return out
}

/// Text pasted into the terminal (bracketed paste).
@discardableResult
func paste(_ s: inout AppState, _ text: String) -> [Effect] { reduce(&s, .paste(text)) }

func type(_ s: inout AppState, _ text: String) {
    for c in text { _ = reduce(&s, .key(.char(c))) }
}

extension Array where Element == Effect {
    /// Without the start view's `cacheList`, for tests about other effects.
    var withoutCache: [Effect] {
        filter { if case .cacheList = $0 { return false } else { return true } }
    }
}
