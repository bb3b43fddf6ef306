import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything that can happen to the dashboard.
public enum Action: Sendable {
    case key(Key)
    /// Text pasted into the terminal (bracketed paste): typed as text, never keys.
    case paste(String)
    /// The 1-second clock.
    case tick(Date)
    case resize(width: Int, height: Int)
    /// The poll timer fired.
    case pollDue
    case listLoaded(query: MeetingQuery, page: MeetingPage, company: String?, at: Date)
    case listFailed(query: MeetingQuery, error: APIError, at: Date)
    case detailLoaded(Meeting, purpose: DetailPurpose)
    case detailFailed(id: String, error: APIError, purpose: DetailPurpose)
    case created(Meeting)
    case createFailed(APIError)
    /// The browser command could not run, or ended with an error; why, in
    /// words, and the URL it was given (copied instead).
    case openFailed(String, url: String, link: RoomLink)
    /// A copy went out (`Effect.copy`), or did not; `because` as the copy said.
    case copyFinished(label: String, text: String, CopyOutcome, because: String? = nil)
    /// The saved draft was read (after `Effect.loadDraft`).
    case draftLoaded(FormDraft)
    /// A saved draft exists but cannot be used; why, in words.
    case draftUnreadable(String)
    /// Saving the draft file failed; why, in words. The draft is only in memory.
    case draftStoreFailed(String)
    /// Deleting the draft file failed; why, in words.
    case draftDeleteFailed(String)
    /// Other drafts of this account, besides the one `loadDraft` restored:
    /// kept on disk by a dashboard that has ended, or being edited in another
    /// one that runs now (after `Effect.loadDraft`).
    case otherDrafts(kept: Int, editedElsewhere: Int)
    /// The draft was written (after `Effect.saveDraft`).
    case draftSaved(FormDraft)
    /// The runtime reduced a batch of actions (keys, a tick, an answer): the
    /// moment to write what must survive a crash, once per batch, not per key.
    case settled
    /// Something to tell the user at start (a theme that could not be loaded).
    case warning(String)
    /// The list was searched for a meeting a create may have made.
    case lookupFinished(MeetingLookup, found: Meeting?)
    case lookupFailed(MeetingLookup, APIError)
    /// A mouse report and what the screen drew under it (nil: nothing that reacts).
    case mouse(MouseEvent, target: MouseTarget?)
    /// The last list seen, read from the cache at start.
    case cacheLoaded(CachedList)
}

/// Work for the runtime. Results come back as `Action`s.
public enum Effect: Sendable, Hashable {
    case fetchList(MeetingQuery)
    case fetchDetail(id: String, purpose: DetailPurpose)
    case create(NewMeeting)
    /// Put `text` on the clipboard the way the clipboard mode says; answers
    /// with `copyFinished`. `because`: why this is copied when the key did not
    /// ask for a copy (no browser), said with the outcome.
    case copy(text: String, label: String, because: String? = nil)
    /// (Re)arm the one poll timer.
    case schedulePoll(after: TimeInterval)
    /// Write the form's draft to disk (atomically, 0600).
    case saveDraft(FormDraft)
    /// Read the draft from disk; answers with `draftLoaded` / `draftUnreadable`, or nothing.
    case loadDraft
    /// Remove the draft from disk (after a successful create).
    case deleteDraft
    /// Search the list for a meeting a create may have made.
    case lookFor(MeetingLookup)
    /// Keep this list as the last one seen (the start view only).
    case cacheList(CachedList)
    /// Tell the presenter (bell, notification) in the state's notify mode.
    case remind(Reminder)
    /// Set the window title (OSC 2).
    case setTitle(String)
    /// Run a browser on a URL (`url`, somewhere in `argv`), detached from the terminal.
    case openURL(argv: [String], url: String, link: RoomLink)
    /// Clear the terminal and draw every cell again (Ctrl-L): whatever wrote
    /// over the screen (a `wall`, a stray child's output) is gone.
    case repaint
    case quit
}

/// What became of a copy, as far as coclick can know.
public enum CopyOutcome: Sendable, Hashable {
    /// A program said it took the text: "tmux buffer", "xclip", …
    case confirmed(by: String)
    /// An OSC 52 sequence was written to the terminal; nothing can confirm it arrived.
    case sent
    /// It did not work; why, in words.
    case failed(String)
}
