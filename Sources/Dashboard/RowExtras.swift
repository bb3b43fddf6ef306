import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A wide list's extra columns: the cobrowsing site's host and the custom
/// data's first values, from each meeting's detail.
public enum RowExtras {
    /// The list is this wide before the extra columns show.
    public static let minimumWidth = 140
    /// Details asked for at once, and kept at most.
    static let maxInFlight = 2
    static let maxDetails = 1_000

    /// "www.example.com" from "https://www.example.com/page".
    public static func site(_ url: String?) -> String {
        guard let url, !url.isEmpty else { return "" }
        var rest = Substring(url)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            rest = rest[rest.index(colon, offsetBy: 3)...]
        }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return String((host.split(separator: "@").last ?? host).prefix(200))
    }

    /// "plan=gold user_id=17 …": the first values of the custom data, keys sorted.
    public static func customData(_ value: JSONValue?, limit: Int = 120) -> String {
        guard case .object(let o)? = value else { return "" }
        var out = ""
        for key in o.keys.sorted() {
            let v: String
            switch o[key]! {
            case .string(let s): v = s
            case .int(let i): v = String(i)
            case .double(let d): v = String(d)
            case .bool(let b): v = b ? "true" : "false"
            case .null: v = "null"
            case .array: v = "[…]"
            case .object: v = "{…}"
            }
            if !out.isEmpty { out.append(" ") }
            out.append(contentsOf: key.prefix(40))
            out.append("=")
            out.append(contentsOf: v.prefix(60))
            if out.count >= limit { break }
        }
        return out
    }
}

extension Reducer {
    /// On a wide list, the details of the rows drawn (a couple at a time, each
    /// once) for the site and custom data columns.
    static func fetchRowExtras(_ state: inout AppState) -> [Effect] {
        guard state.screen == .list, state.width >= RowExtras.minimumWidth,
              state.extrasInFlight < RowExtras.maxInFlight, state.connection == .ok else { return [] }
        let visible = visibleMeetingIDs(state)
        if state.details.count > RowExtras.maxDetails {
            let keep = Set(visible + [state.detailID].compactMap { $0 })
            state.details = state.details.filter { keep.contains($0.key) }
        }
        if state.extrasRequested.count > RowExtras.maxDetails * 4 { state.extrasRequested = [] }
        var out: [Effect] = []
        for id in visible where state.details[id] == nil && !state.extrasRequested.contains(id) {
            guard state.extrasInFlight < RowExtras.maxInFlight else { break }
            state.extrasRequested.insert(id)
            state.extrasInFlight += 1
            out.append(.fetchDetail(id: id, purpose: .rowExtras))
        }
        return out
    }
}
