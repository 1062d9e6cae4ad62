/** What a second Ctrl-C/SIGTERM leaves behind when it quits a deploy or rollback at once (the line it prints). */
export const LEFT_BEHIND_BY_A_SECOND_SIGNAL =
  'the release it was applying or restoring is left pending; the next deploy or rollback reports it and brings the namespace back to a recorded release';
