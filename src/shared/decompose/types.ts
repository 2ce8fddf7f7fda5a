export interface DecomposeHeading {
  level: number;
  text: string;
  start: number;
  end: number;
}

/** date is YYYY-MM-DD (end of the period); recurrence e.g. 'monthly' | 'quarterly' | 'yearly'. */
export interface DecomposeDeadline {
  text: string;
  date: string | null;
  recurrence: string | null;
}

export interface DecomposeTask {
  text: string;
  start: number;
  end: number;
  lead: string[];
  co: string[];
  deadline: DecomposeDeadline | null;
  targets: string[];
  /** 0–1: how sure the engine is; the reviewer sees low-confidence tasks first. */
  confidence: number;
  /** The rule that found the task (e.g. 'modal', 'label', 'table'). */
  rule: string;
  /** Why, in the reviewer's words. */
  why: string[];
}

export interface DecomposeResult {
  headings: DecomposeHeading[];
  tasks: DecomposeTask[];
  /** The date deadlines were resolved against (the document's own 落款 date when it states one). */
  date?: string;
  /** What the reader could not use as intended (a table without a header …). */
  notices?: string[];
}

export interface DecomposeOptions {
  /** Document date YYYY-MM-DD; defaults to the date the document states, else today. */
  date?: string;
  /** School terms and seasons (秋季学期开学, 汛期 …); defaults to DEFAULT_SEASONS. */
  seasons?: import('./calendar').SeasonEntry[];
}
