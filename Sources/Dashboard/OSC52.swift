import Foundation

/// Clipboard copies through the terminal: `ESC ] 52 ; c ; <base64> BEL`.
public enum OSC52 {
    /// The bytes to write to the terminal for `mode`, or nil for `.off`.
    public static func sequence(for text: String, mode: ClipboardMode) -> String? {
        let plain = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        switch mode {
        case .off: return nil
        case .auto, .osc52: return plain
        case .tmux:
            // tmux passthrough: every ESC inside is doubled, then ESC \ ends it.
            return "\u{1B}Ptmux;" + plain.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
        }
    }
}
