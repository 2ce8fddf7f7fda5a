import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import type { MeView } from '../shared/contracts/users';
import type { Permission } from '../shared/permissions';
import { ApiError, api, CSRF_COOKIE, onUnauthenticated, readCookie } from './api';

export type { MeView };

interface Session {
  me: MeView | null;
  /** the last session ended by the server (idle timeout, password reset …), not by logout */
  expired: boolean;
  loading: boolean;
  /** signed in with a one-time password: nothing but the password change until it is changed */
  mustChangePassword: boolean;
  can: (p: Permission | undefined) => boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  reload: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export interface LoginState {
  from?: string;
  expired?: boolean;
}

/** Who is signed in (GET /api/me), and the one place that reacts to an ended session (401). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<MeView | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);
  const [mustChangePassword, setMustChange] = useState(false);
  const meRef = useRef<MeView | null>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const locationRef = useRef(location);
  locationRef.current = location;

  const reload = useCallback(async () => {
    // without the CSRF cookie there is no session: skip the call (and its 401)
    if (!readCookie(CSRF_COOKIE)) {
      meRef.current = null;
      setMe(null);
      setLoading(false);
      return;
    }
    try {
      const r = await api.get<MeView>('/api/me');
      meRef.current = r;
      setMe(r);
      setMustChange(false);
    } catch (e) {
      if (
        e instanceof ApiError &&
        (e.details as { reason?: string } | undefined)?.reason === 'must_change_password'
      )
        setMustChange(true);
      else if (!(e instanceof ApiError && e.status === 401)) throw e;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    reload().catch(() => setLoading(false));
  }, [reload]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        // only the first 401 of a signed-in session redirects; the calls in flight with it are moot
        if (meRef.current === null) return;
        meRef.current = null;
        setExpired(true);
        setMe(null);
        const loc = locationRef.current;
        const state: LoginState = { from: loc.pathname + loc.search, expired: true };
        navigate('/login', { replace: true, state });
      }),
    [navigate],
  );

  const login = useCallback(
    async (username: string, password: string) => {
      const r = await api.post<{ mustChangePassword: boolean }>('/api/auth/login', { username, password });
      setExpired(false);
      if (r.mustChangePassword) setMustChange(true);
      else await reload();
    },
    [reload],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } finally {
      meRef.current = null;
      setMe(null);
      setMustChange(false);
      navigate('/login', { replace: true });
    }
  }, [navigate]);

  const value = useMemo<Session>(() => {
    const perms = new Set(me?.permissions ?? []);
    return {
      me,
      expired,
      loading,
      mustChangePassword,
      can: (p) => !p || perms.has(p),
      login,
      logout,
      reload,
    };
  }, [me, expired, loading, mustChangePassword, login, logout, reload]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
