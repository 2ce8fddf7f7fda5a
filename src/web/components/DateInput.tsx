import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { CSSProperties } from 'react';

/**
 * The app's date picker for a calendar date held as `YYYY-MM-DD` (what the APIs take): the
 * antd picker in the app's language instead of the browser's native date input (whose
 * `mm/dd/yyyy` depends on the browser). Works as a Form.Item control (value / onChange) and
 * accepts the date typed in (confirmed with Enter or by leaving the field).
 */
export function DateInput(props: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  style?: CSSProperties;
  placeholder?: string;
  disabled?: boolean;
  'data-testid'?: string;
}) {
  const v = props.value && /^\d{4}-\d{2}-\d{2}$/.test(props.value) ? dayjs(props.value) : null;
  return (
    <DatePicker
      value={v?.isValid() ? v : null}
      format="YYYY-MM-DD"
      style={props.style}
      placeholder={props.placeholder ?? '年-月-日'}
      disabled={props.disabled}
      data-testid={props['data-testid']}
      onChange={(d) => props.onChange?.(d ? d.format('YYYY-MM-DD') : null)}
    />
  );
}
