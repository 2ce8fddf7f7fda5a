import { AppealQueue } from './AppealListPage';

/** 督办队列: overdue appeals, those urged or supervised, those awaiting closing. */
export default function AppealSupervisionPage() {
  return <AppealQueue mode="supervisor" />;
}
