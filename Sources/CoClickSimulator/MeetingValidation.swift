import CoClickAPI
import Foundation

/// The rules of `POST /meetings`, with the documentation's messages where it
/// has them ("User must exist", "please specify a start date", "Please
/// specify a cobrowsing URL", "Cobrowsing URL is not valid").
enum MeetingValidation {
    struct Errors: Error {
        /// In the documentation's field order.
        var fields: [(String, [String])]
    }

    static func validate(_ body: [String: JSONValue], isKnownUser: (String) -> Bool) -> Result<StoredMeeting, Errors> {
        var errors: [String: [String]] = [:]
        func add(_ field: String, _ message: String) { errors[field, default: []].append(message) }
        func text(_ key: String) -> String? {
            if case .string(let s)? = body[key] { return s }
            return nil
        }
        func blank(_ key: String) -> Bool {
            switch body[key] {
            case nil, .null?: return true
            case .string(let s)?: return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            default: return false
            }
        }

        // user: the owner must be a user of the company (a Rails belongs_to).
        let user = text("user")?.trimmingCharacters(in: .whitespaces)
        if blank("user") {
            add("user", "User must exist")
        } else if let user, user.utf8.count > MeetingRules.maxFieldLength {
            add("user", "User is too long (maximum is \(MeetingRules.maxFieldLength) characters)")
        } else if let user, !MeetingRules.isEmail(user) {
            add("user", "User is not a valid email address")
        } else if user == nil || !isKnownUser(user!) {
            add("user", "User must exist")
        }

        // starts_at
        var startsAt: APIDate?
        if blank("starts_at") {
            add("starts_at", "please specify a start date")
        } else if let s = text("starts_at"), let d = APIDate.parse(s) {
            startsAt = d
        } else {
            add("starts_at", "Start date is not a valid date")
        }

        // cobrowsing_url: blank fails both presence and format, as in the documented error example.
        let url = text("cobrowsing_url")?.trimmingCharacters(in: .whitespaces)
        if blank("cobrowsing_url") {
            add("cobrowsing_url", "Please specify a cobrowsing URL")
            add("cobrowsing_url", "Cobrowsing URL is not valid")
        } else if let url, url.utf8.count > MeetingRules.maxFieldLength {
            add("cobrowsing_url", "Cobrowsing URL is too long (maximum is \(MeetingRules.maxFieldLength) characters)")
        } else if url == nil || !MeetingRules.isWebURL(url!) {
            add("cobrowsing_url", "Cobrowsing URL is not valid")
        }

        // cobrowsing_cookies_data: the documented JSON Schema.
        var cookies: [Cookie] = []
        switch body["cobrowsing_cookies_data"] {
        case nil, .null?:
            break
        case .array(let items)?:
            for (i, item) in items.enumerated() {
                let row = "Cobrowsing cookies data item \(i + 1)"
                guard case .object(let o) = item else {
                    add("cobrowsing_cookies_data", "\(row) must be an object with domain, name and value")
                    continue
                }
                var strings: [String: String] = [:]
                for key in ["domain", "name", "value"] {
                    switch o[key] {
                    case nil: add("cobrowsing_cookies_data", "\(row) is missing \(key)")
                    case .string(let s)?: strings[key] = s
                    default: add("cobrowsing_cookies_data", "\(row): \(key) must be a string")
                    }
                }
                for extra in o.keys.sorted() where !["domain", "name", "value"].contains(extra) {
                    add("cobrowsing_cookies_data", "\(row) has an unexpected property \(extra)")
                }
                if let d = strings["domain"], let n = strings["name"], let v = strings["value"] {
                    cookies.append(Cookie(domain: d, name: n, value: v))
                }
            }
        default:
            add("cobrowsing_cookies_data", "Cobrowsing cookies data must be an array of {domain, name, value} objects")
        }

        // custom_data: a JSON object, if present.
        var custom: JSONValue?
        switch body["custom_data"] {
        case nil, .null?: break
        case .object(let o)?: custom = .object(o)
        default: add("custom_data", "Custom data must be a JSON object")
        }

        // Waiting-room iframes: optional URLs.
        var iframes: [String: String] = [:]
        for (key, label) in [("presenter_waiting_room_iframe_url", "Presenter waiting room iframe URL"),
                             ("prospect_waiting_room_iframe_url", "Prospect waiting room iframe URL")] {
            if blank(key) { continue }
            if let s = text(key), s.utf8.count > MeetingRules.maxFieldLength {
                add(key, "\(label) is too long (maximum is \(MeetingRules.maxFieldLength) characters)")
            } else if let s = text(key)?.trimmingCharacters(in: .whitespaces), MeetingRules.isWebURL(s) {
                iframes[key] = s
            } else {
                add(key, "\(label) is not valid")
            }
        }

        if !errors.isEmpty {
            let order = NewMeeting.fieldOrder + errors.keys.filter { !NewMeeting.fieldOrder.contains($0) }.sorted()
            return .failure(Errors(fields: order.compactMap { f in errors[f].map { (f, $0) } }))
        }
        guard let user, let startsAt, let url else {
            return .failure(Errors(fields: [("user", ["User must exist"])]))
        }
        return .success(StoredMeeting(
            id: "", user: user, startsAt: startsAt, duration: nil, cobrowsingURL: url, cookies: cookies,
            customData: custom, presenterWaitingRoomIframeURL: iframes["presenter_waiting_room_iframe_url"],
            prospectWaitingRoomIframeURL: iframes["prospect_waiting_room_iframe_url"]
        ))
    }
}
