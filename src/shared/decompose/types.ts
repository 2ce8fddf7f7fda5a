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
}

export interface DecomposeResult {
  headings: DecomposeHeading[];
  tasks: DecomposeTask[];
}

export interface DecomposeOptions {
  /** Document date YYYY-MM-DD; defaults to today. */
  date?: string;
}
