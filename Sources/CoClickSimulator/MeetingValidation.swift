import CoClickAPI
import Foundation

/// The rules of `POST /meetings`, with the documentation's messages where it
/// has them ("User must exist", "please specify a start date", "Please
/// specify a cobrowsing URL", "Cobrowsing URL is not valid").
enum MeetingValidation {
    /// Largest `custom_data` accepted, as compact JSON.
    static let maxCustomDataBytes = 16 * 1024

    /// "domain, name and value".
    static let cookieKeys: String = {
        let names = CookieField.allCases.map(\.stringValue)
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }()

    struct Errors: Error {
        /// In the documentation's field order.
        var fields: [(String, [String])]
    }

    /// `body` is the request's JSON object; of a key sent twice, the first counts.
    static func validate(_ body: RawJSON, isKnownUser: (String) -> Bool) -> Result<StoredMeeting, Errors> {
        var check = Check(body: body)
        let user = check.user(isKnownUser: isKnownUser)
        let startsAt = check.startsAt()
        let url = check.cobrowsingURL()
        let cookies = check.cookies()
        let custom = check.customData()
        let iframes = check.iframes()

        if !check.errors.isEmpty {
            let order = NewMeeting.fieldOrder + check.errors.keys.filter { !NewMeeting.fieldOrder.contains($0) }.sorted()
            return .failure(Errors(fields: order.compactMap { f in check.errors[f].map { (f, $0) } }))
        }
        guard let user, let startsAt, let url else {
            return .failure(Errors(fields: [(MeetingField.user.name, ["User must exist"])]))
        }
        return .success(StoredMeeting(
            id: "", user: user, startsAt: startsAt, duration: nil, cobrowsingURL: url, cookies: cookies,
            customData: custom, presenterWaitingRoomIframeURL: iframes[MeetingField.presenterIframe.name],
            prospectWaitingRoomIframeURL: iframes[MeetingField.prospectIframe.name]
        ))
    }

    /// One field's rule each, run over the body; the messages gather by field.
    struct Check {
        let body: RawJSON
        var errors: [String: [String]] = [:]

        mutating func add(_ field: String, _ message: String) { errors[field, default: []].append(message) }
        func text(_ key: String) -> String? { body[key]?.stringValue }
        func blank(_ key: String) -> Bool {
            switch body[key] {
            case nil, .null?: return true
            case .string(let s)?: return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            default: return false
            }
        }

        /// user: the owner must be a user of the company (a Rails belongs_to).
        mutating func user(isKnownUser: (String) -> Bool) -> String? {
            let user = text(MeetingField.user.name)?.trimmingCharacters(in: .whitespaces)
            if blank(MeetingField.user.name) {
                add(MeetingField.user.name, "User must exist")
            } else if let user, user.utf8.count > MeetingRules.maxFieldLength {
                add(MeetingField.user.name, "User is too long (maximum is \(MeetingRules.maxFieldLength) characters)")
            } else if let user, !MeetingRules.isEmail(user) {
                add(MeetingField.user.name, "User is not a valid email address")
            } else if user == nil || !isKnownUser(user!) {
                add(MeetingField.user.name, "User must exist")
            }
            return user
        }

        mutating func startsAt() -> APIDate? {
            if blank(MeetingField.startsAt.name) {
                add(MeetingField.startsAt.name, "please specify a start date")
            } else if let s = text(MeetingField.startsAt.name), let d = APIDate.parse(s) {
                return d
            } else {
                add(MeetingField.startsAt.name, "Start date is not a valid date")
            }
            return nil
        }

        /// cobrowsing_url: blank fails both presence and format, as in the documented error example.
        mutating func cobrowsingURL() -> String? {
            let url = text(MeetingField.cobrowsingURL.name)?.trimmingCharacters(in: .whitespaces)
            if blank(MeetingField.cobrowsingURL.name) {
                add(MeetingField.cobrowsingURL.name, "Please specify a cobrowsing URL")
                add(MeetingField.cobrowsingURL.name, "Cobrowsing URL is not valid")
            } else if let url, url.utf8.count > MeetingRules.maxFieldLength {
                add(MeetingField.cobrowsingURL.name, "Cobrowsing URL is too long (maximum is \(MeetingRules.maxFieldLength) characters)")
            } else if url == nil || !MeetingRules.isWebURL(url!) {
                add(MeetingField.cobrowsingURL.name, "Cobrowsing URL is not valid")
            }
            return url
        }

        /// cobrowsing_cookies_data: the documented JSON Schema.
        mutating func cookies() -> [Cookie] {
            var cookies: [Cookie] = []
            switch body[MeetingField.cookies.name] {
            case nil, .null?:
                break
            case .array(let items)?:
                for (i, item) in items.enumerated() {
                    if let cookie = cookie(item, row: "Cobrowsing cookies data item \(i + 1)") { cookies.append(cookie) }
                }
            default:
                add(MeetingField.cookies.name, "Cobrowsing cookies data must be an array of {\(CookieField.allCases.map(\.stringValue).joined(separator: ", "))} objects")
            }
            return cookies
        }

        /// One item of the cookies: an object of three strings, nothing else.
        mutating func cookie(_ item: RawJSON, row: String) -> Cookie? {
            guard let members = item.members else {
                add(MeetingField.cookies.name, "\(row) must be an object with \(MeetingValidation.cookieKeys)")
                return nil
            }
            var strings: [CookieField: String] = [:]
            for key in CookieField.allCases {
                switch item[key] {
                case nil: add(MeetingField.cookies.name, "\(row) is missing \(key.stringValue)")
                case .string(let s)?: strings[key] = s
                default: add(MeetingField.cookies.name, "\(row): \(key.stringValue) must be a string")
                }
            }
            for extra in Set(members.map(\.key)).sorted() where CookieField(stringValue: extra) == nil {
                add(MeetingField.cookies.name, "\(row) has an unexpected property \(extra)")
            }
            guard let d = strings[.domain], let n = strings[.name], let v = strings[.value] else { return nil }
            return Cookie(domain: d, name: n, value: v)
        }

        /// custom_data: a JSON object, if present.
        mutating func customData() -> RawJSON? {
            switch body[MeetingField.customData.name] {
            case nil, .null?: break
            case let object? where object.members != nil:
                // Bounded: a client creating meetings for days must not grow the simulator without end.
                if object.text(indent: 0, escaping: .jsonOnly).utf8.count > MeetingValidation.maxCustomDataBytes {
                    add(MeetingField.customData.name, "Custom data is too long (maximum is \(MeetingValidation.maxCustomDataBytes) bytes)")
                } else {
                    return object
                }
            default: add(MeetingField.customData.name, "Custom data must be a JSON object")
            }
            return nil
        }

        /// Waiting-room iframes: optional URLs, by field.
        mutating func iframes() -> [String: String] {
            var iframes: [String: String] = [:]
            for (key, label) in [(MeetingField.presenterIframe.name, "Presenter waiting room iframe URL"),
                                 (MeetingField.prospectIframe.name, "Prospect waiting room iframe URL")] {
                if blank(key) { continue }
                if let s = text(key), s.utf8.count > MeetingRules.maxFieldLength {
                    add(key, "\(label) is too long (maximum is \(MeetingRules.maxFieldLength) characters)")
                } else if let s = text(key)?.trimmingCharacters(in: .whitespaces), MeetingRules.isWebURL(s) {
                    iframes[key] = s
                } else {
                    add(key, "\(label) is not valid")
                }
            }
            return iframes
        }
    }
}
