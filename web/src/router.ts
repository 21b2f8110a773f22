/**
 * Routes and their guard: signed-out users go to the sign-in page (and come back after),
 * and a role never reaches a view it may not use. Filters ride along in the query.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { homeOf, loadSession, mayUse, type ViewName } from './session/session.ts';

declare module 'vue-router' {
  interface RouteMeta {
    title: string;
    view?: ViewName;
    public?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./views/SignInView.vue'),
    meta: { title: '登录', public: true },
  },
  // The guard sends '/' to the role's home view.
  {
    path: '/',
    name: 'home',
    component: () => import('./views/OverviewView.vue'),
    meta: { title: '首页' },
  },
  {
    path: '/overview',
    name: 'overview',
    component: () => import('./views/OverviewView.vue'),
    meta: { title: '总览', view: 'overview' },
  },
  {
    path: '/priority',
    name: 'priority',
    component: () => import('./views/PriorityView.vue'),
    meta: { title: '优先群体', view: 'priority' },
  },
  {
    path: '/schools',
    name: 'schools',
    component: () => import('./views/SchoolsView.vue'),
    meta: { title: '学校', view: 'schools' },
  },
  {
    path: '/schools/:code',
    name: 'school',
    component: () => import('./views/SchoolView.vue'),
    meta: { title: '学校详情', view: 'school' },
  },
  {
    path: '/satisfaction',
    name: 'satisfaction',
    component: () => import('./views/SatisfactionView.vue'),
    meta: { title: '满意度', view: 'satisfaction' },
  },
  {
    path: '/flags',
    name: 'flags',
    component: () => import('./views/FlagsView.vue'),
    meta: { title: '违规预警', view: 'flags' },
  },
  {
    path: '/doubts',
    name: 'doubts',
    component: () => import('./views/DoubtsView.vue'),
    meta: { title: '数据疑点', view: 'doubts' },
  },
  {
    path: '/reviews',
    name: 'reviews',
    component: () => import('./views/ReviewsView.vue'),
    meta: { title: '报表审核', view: 'reviews' },
  },
  {
    path: '/complaints',
    name: 'complaints',
    component: () => import('./views/ComplaintsView.vue'),
    meta: { title: '投诉与举报', view: 'complaints' },
  },
  {
    path: '/report',
    name: 'report',
    component: () => import('./views/ReportView.vue'),
    meta: { title: '月度报告', view: 'report' },
  },
  {
    path: '/evaluation',
    name: 'evaluation',
    component: () => import('./views/EvaluationView.vue'),
    meta: { title: '年度考核', view: 'evaluation' },
  },
  {
    path: '/evaluation/:code',
    name: 'evaluation-school',
    component: () => import('./views/EvaluationSchoolView.vue'),
    meta: { title: '学校考核结果', view: 'evaluation-school' },
  },
  {
    path: '/upload',
    name: 'upload',
    component: () => import('./views/UploadView.vue'),
    meta: { title: '数据上传', view: 'upload' },
  },
  {
    path: '/submissions',
    name: 'submissions',
    component: () => import('./views/SubmissionsView.vue'),
    meta: { title: '报送情况', view: 'submissions' },
  },
  {
    path: '/draws',
    name: 'draws',
    component: () => import('./views/DrawsView.vue'),
    meta: { title: '四不两直', view: 'draws' },
  },
  {
    path: '/users',
    name: 'users',
    component: () => import('./views/UsersView.vue'),
    meta: { title: '用户管理', view: 'users' },
  },
  {
    path: '/account',
    name: 'account',
    component: () => import('./views/AccountView.vue'),
    meta: { title: '我的账号', view: 'account' },
  },
  {
    path: '/audit',
    name: 'audit',
    component: () => import('./views/AuditView.vue'),
    meta: { title: '审计日志', view: 'audit' },
  },
  {
    path: '/plan',
    name: 'plan',
    component: () => import('./views/PlanView.vue'),
    meta: { title: '走访计划', view: 'plan' },
  },
  {
    path: '/inbox',
    name: 'inbox',
    component: () => import('./views/InboxView.vue'),
    meta: { title: '提醒', view: 'inbox' },
  },
  {
    path: '/my',
    name: 'school-home',
    component: () => import('./views/SchoolHomeView.vue'),
    meta: { title: '本校填报', view: 'school-home' },
  },
  {
    path: '/filings',
    name: 'filings',
    component: () => import('./views/FilingsView.vue'),
    meta: { title: '学期备案', view: 'filings' },
  },
  { path: '/:rest(.*)*', redirect: { name: 'home' }, meta: { title: '' } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const user = await loadSession().catch(() => null);
  if (!user) return { name: 'login', query: { redirect: to.fullPath } };
  if (to.name === 'home') return { name: homeOf(user.role), query: to.query };
  if (to.meta.view && !mayUse(user.role, to.meta.view))
    return { name: homeOf(user.role), query: to.query };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 课后督导` : '课后督导';
});
