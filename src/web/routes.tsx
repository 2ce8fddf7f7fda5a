import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  GiftOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  LoginOutlined,
  PhoneOutlined,
  PieChartOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  ShopOutlined,
  SwapOutlined,
  TeamOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import { matchPath } from 'react-router-dom';
import type { Permission } from '../shared/permissions';
import type { Messages } from './locales/zh';

/**
 * The one route table: it drives the side menu, the router and access. A page is reachable
 * and listed only when the user has its permission; a group shows when any child does.
 */
export interface AppRoute {
  /** absolute path; a pattern (`/orgs/:id`) for pages reached from others */
  path: string;
  label: keyof Messages['menu'];
  icon?: ReactNode;
  permission?: Permission;
  page?: LazyExoticComponent<ComponentType>;
  hideInMenu?: boolean;
  children?: AppRoute[];
}

const Home = lazy(() => import('./modules/home/HomePage'));
const Orgs = lazy(() => import('./modules/orgs/OrgPage'));
const Units = lazy(() => import('./modules/units/UnitPage'));
const Users = lazy(() => import('./modules/users/UserPage'));
const Roles = lazy(() => import('./modules/roles/RolePage'));
const AuditLog = lazy(() => import('./modules/logs/AuditLogPage'));
const LoginLog = lazy(() => import('./modules/logs/LoginLogPage'));
const Password = lazy(() => import('./modules/auth/PasswordPage'));
const MyMembership = lazy(() => import('./modules/people/MyMembershipPage'));
const People = lazy(() => import('./modules/people/PersonListPage'));
const PersonDetail = lazy(() => import('./modules/people/PersonDetailPage'));
const PeopleImport = lazy(() => import('./modules/people/ImportPage'));
const PeopleTransfers = lazy(() => import('./modules/people/TransferPage'));
const PeopleClaims = lazy(() => import('./modules/people/ClaimPage'));
const PeopleStats = lazy(() => import('./modules/people/StatsPage'));
const Coverage = lazy(() => import('./modules/coverage/CoveragePage'));
const AppealIntake = lazy(() => import('./modules/appeals/IntakePage'));
const AppealList = lazy(() => import('./modules/appeals/AppealListPage'));
const AppealDetail = lazy(() => import('./modules/appeals/AppealDetailPage'));
const AppealSupervision = lazy(() => import('./modules/appeals/SupervisionPage'));
const AppealDashboard = lazy(() => import('./modules/appeals/DashboardPage'));
const AppealConfig = lazy(() => import('./modules/appeals/config/ConfigPage'));
const TaskDocs = lazy(() => import('./modules/tasks/DocsPage'));
const TaskReview = lazy(() => import('./modules/tasks/ReviewPage'));
const TaskList = lazy(() => import('./modules/tasks/TaskListPage'));
const TaskDetail = lazy(() => import('./modules/tasks/TaskDetailPage'));
const TaskSupervision = lazy(() => import('./modules/tasks/SupervisionPage'));
const TaskNotices = lazy(() => import('./modules/tasks/NoticesPage'));
const TaskMeetings = lazy(() => import('./modules/tasks/MeetingsPage'));
const OnboardingChecklist = lazy(() => import('./modules/onboarding/ChecklistPage'));
const OnboardingImport = lazy(() => import('./modules/onboarding/ImportPage'));
const StatsPage = lazy(() => import('./modules/stats/StatsPage'));
const StatsReport = lazy(() => import('./modules/stats/ReportPage'));
const Assessment = lazy(() => import('./modules/assessment/AssessmentPage'));
const Activities = lazy(() => import('./modules/volunteers/ActivityListPage'));
const ActivityDetail = lazy(() => import('./modules/volunteers/ActivityDetailPage'));
const VolunteerStats = lazy(() => import('./modules/volunteers/TreeStatsPage'));
const MyVolunteer = lazy(() => import('./modules/volunteers/MyVolunteerPage'));
const FiveStar = lazy(() => import('./modules/volunteers/FiveStarPage'));
const AssistCases = lazy(() => import('./modules/assistance/CaseListPage'));
const AssistCase = lazy(() => import('./modules/assistance/CaseDetailPage'));
const AssistPrograms = lazy(() => import('./modules/assistance/ProgramsPage'));
const AssistCycle = lazy(() => import('./modules/assistance/CyclePage'));
const AssistStats = lazy(() => import('./modules/assistance/StatsPage'));

export const ROUTES: AppRoute[] = [
  { path: '/', label: 'home', icon: <HomeOutlined />, page: Home },
  {
    path: '/org',
    label: 'orgGroup',
    icon: <ApartmentOutlined />,
    children: [
      { path: '/orgs', label: 'orgs', icon: <ApartmentOutlined />, permission: 'org:read', page: Orgs },
      { path: '/orgs/:id', label: 'orgs', permission: 'org:read', page: Orgs, hideInMenu: true },
      { path: '/units', label: 'units', icon: <ShopOutlined />, permission: 'unit:read', page: Units },
      {
        path: '/coverage',
        label: 'coverage',
        icon: <PieChartOutlined />,
        permission: 'unit:read',
        page: Coverage,
      },
    ],
  },
  {
    path: '/member',
    label: 'peopleGroup',
    icon: <IdcardOutlined />,
    children: [
      { path: '/people', label: 'people', icon: <IdcardOutlined />, permission: 'person:read', page: People },
      {
        path: '/people/import',
        label: 'peopleImport',
        icon: <CloudUploadOutlined />,
        permission: 'person:import',
        page: PeopleImport,
      },
      {
        path: '/people/transfers',
        label: 'peopleTransfers',
        icon: <SwapOutlined />,
        permission: 'person:read',
        page: PeopleTransfers,
      },
      {
        path: '/people/claims',
        label: 'peopleClaims',
        icon: <SwapOutlined />,
        permission: 'person:read',
        page: PeopleClaims,
      },
      {
        path: '/people/stats',
        label: 'peopleStats',
        icon: <BarChartOutlined />,
        permission: 'person:read',
        page: PeopleStats,
      },
      {
        path: '/people/:id',
        label: 'people',
        permission: 'person:read',
        page: PersonDetail,
        hideInMenu: true,
      },
    ],
  },
  {
    path: '/appeal',
    label: 'appealGroup',
    icon: <CustomerServiceOutlined />,
    children: [
      {
        path: '/appeals/intake',
        label: 'appealIntake',
        icon: <PhoneOutlined />,
        permission: 'appeal:intake',
        page: AppealIntake,
      },
      {
        path: '/appeals',
        label: 'appeals',
        icon: <ProfileOutlined />,
        permission: 'appeal:read',
        page: AppealList,
      },
      {
        path: '/appeals/supervision',
        label: 'appealSupervision',
        icon: <AlertOutlined />,
        permission: 'appeal:supervise',
        page: AppealSupervision,
      },
      {
        path: '/appeals/dashboard',
        label: 'appealDashboard',
        icon: <BarChartOutlined />,
        permission: 'appeal:read',
        page: AppealDashboard,
      },
      {
        path: '/appeals/config',
        label: 'appealConfig',
        icon: <ControlOutlined />,
        permission: 'appeal:config',
        page: AppealConfig,
      },
      {
        path: '/appeals/:id',
        label: 'appeals',
        permission: 'appeal:read',
        page: AppealDetail,
        hideInMenu: true,
      },
    ],
  },
  {
    path: '/task',
    label: 'taskGroup',
    icon: <ScheduleOutlined />,
    children: [
      {
        path: '/tasks/docs',
        label: 'taskDocs',
        icon: <FileTextOutlined />,
        permission: 'task:read',
        page: TaskDocs,
      },
      {
        path: '/tasks/docs/:id/review',
        label: 'taskDocs',
        permission: 'task:write',
        page: TaskReview,
        hideInMenu: true,
      },
      {
        path: '/tasks',
        label: 'tasks',
        icon: <UnorderedListOutlined />,
        permission: 'task:read',
        page: TaskList,
      },
      {
        path: '/tasks/supervision',
        label: 'taskSupervision',
        icon: <AlertOutlined />,
        permission: 'task:read',
        page: TaskSupervision,
      },
      {
        path: '/tasks/notices',
        label: 'taskNotices',
        icon: <TrophyOutlined />,
        permission: 'task:read',
        page: TaskNotices,
      },
      {
        path: '/tasks/meetings',
        label: 'taskMeetings',
        icon: <TeamOutlined />,
        permission: 'task:read',
        page: TaskMeetings,
      },
      { path: '/tasks/:id', label: 'tasks', permission: 'task:read', page: TaskDetail, hideInMenu: true },
    ],
  },
  {
    path: '/statistics',
    label: 'statsGroup',
    icon: <BarChartOutlined />,
    children: [
      {
        path: '/stats',
        label: 'stats',
        icon: <PieChartOutlined />,
        permission: 'stats:read',
        page: StatsPage,
      },
      {
        path: '/stats/forms/:id/report',
        label: 'stats',
        permission: 'stats:read',
        page: StatsReport,
        hideInMenu: true,
      },
      {
        path: '/assessments',
        label: 'assessments',
        icon: <TrophyOutlined />,
        permission: 'assess:read',
        page: Assessment,
      },
    ],
  },
  {
    path: '/activity',
    label: 'activityGroup',
    icon: <TeamOutlined />,
    children: [
      {
        path: '/activities',
        label: 'activities',
        icon: <ScheduleOutlined />,
        permission: 'activity:read',
        page: Activities,
      },
      {
        path: '/volunteers/stats',
        label: 'volunteerStats',
        icon: <BarChartOutlined />,
        permission: 'activity:read',
        page: VolunteerStats,
      },
      {
        path: '/volunteers/five-star',
        label: 'fiveStar',
        icon: <TrophyOutlined />,
        permission: 'volunteer:review',
        page: FiveStar,
      },
      {
        path: '/activities/:id',
        label: 'activities',
        permission: 'activity:read',
        page: ActivityDetail,
        hideInMenu: true,
      },
    ],
  },
  {
    path: '/assist',
    label: 'assistGroup',
    icon: <HeartOutlined />,
    children: [
      {
        path: '/assistance/cases',
        label: 'assistCases',
        icon: <HomeOutlined />,
        permission: 'assist:read',
        page: AssistCases,
      },
      {
        path: '/assistance/programs',
        label: 'assistPrograms',
        icon: <GiftOutlined />,
        permission: 'assist:read',
        page: AssistPrograms,
      },
      {
        path: '/assistance/stats',
        label: 'assistStats',
        icon: <BarChartOutlined />,
        permission: 'assist:read',
        page: AssistStats,
      },
      {
        path: '/assistance/cases/:id',
        label: 'assistCases',
        permission: 'assist:read',
        page: AssistCase,
        hideInMenu: true,
      },
      {
        path: '/assistance/cycles/:id',
        label: 'assistPrograms',
        permission: 'assist:read',
        page: AssistCycle,
        hideInMenu: true,
      },
    ],
  },
  {
    path: '/system',
    label: 'system',
    icon: <SettingOutlined />,
    children: [
      { path: '/system/users', label: 'users', icon: <UserOutlined />, permission: 'user:read', page: Users },
      {
        path: '/system/roles',
        label: 'roles',
        icon: <SafetyCertificateOutlined />,
        permission: 'role:read',
        page: Roles,
      },
      {
        path: '/onboarding',
        label: 'onboarding',
        icon: <ScheduleOutlined />,
        permission: 'onboarding:read',
        page: OnboardingChecklist,
      },
      {
        path: '/onboarding/import',
        label: 'onboardingImport',
        icon: <CloudUploadOutlined />,
        permission: 'org:write',
        page: OnboardingImport,
      },
    ],
  },
  {
    path: '/logs',
    label: 'logs',
    icon: <FileSearchOutlined />,
    children: [
      {
        path: '/logs/operations',
        label: 'auditLog',
        icon: <AuditOutlined />,
        permission: 'audit:read',
        page: AuditLog,
      },
      {
        path: '/logs/logins',
        label: 'loginLog',
        icon: <LoginOutlined />,
        permission: 'loginlog:read',
        page: LoginLog,
      },
    ],
  },
  {
    path: '/personal',
    label: 'personal',
    icon: <TeamOutlined />,
    children: [
      { path: '/personal/membership', label: 'myMembership', icon: <IdcardOutlined />, page: MyMembership },
      { path: '/personal/password', label: 'password', icon: <KeyOutlined />, page: Password },
      { path: '/personal/volunteer', label: 'myVolunteer', icon: <TrophyOutlined />, page: MyVolunteer },
    ],
  },
];

/** Every route that renders a page, groups flattened. */
export const PAGES: AppRoute[] = ROUTES.flatMap((r) => (r.children ? r.children : [r])).filter((r) => r.page);

/** The page route matching a location, and the group it belongs to (for menu and breadcrumb). */
export function findRoute(pathname: string): { route?: AppRoute; group?: AppRoute } {
  for (const r of ROUTES) {
    for (const c of r.children ?? [r]) {
      if (c.page && matchPath({ path: c.path, end: true }, pathname))
        return { route: c, group: r.children ? r : undefined };
    }
  }
  return {};
}

/** The menu entry to highlight for a page (a hidden page highlights its listed sibling). */
export function menuKeyOf(route: AppRoute | undefined): string | undefined {
  if (!route) return undefined;
  if (!route.hideInMenu) return route.path;
  return PAGES.find((p) => !p.hideInMenu && p.page === route.page)?.path;
}
