/** 投诉与举报: the list, one complaint, the vocabulary, handlers and the handling steps. */
import {
  COMPLAINT_ACTION_LABELS,
  COMPLAINT_SOURCE_VOCABULARY,
  COMPLAINT_STATUS_VOCABULARY,
} from '../../db/vocabulary/complaint-vocabulary.ts';
import { shanghaiIso } from '../../db/calendar.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { ForbiddenError } from '../errors.ts';
import { flagById, flagView } from '../flags/flag-row.ts';
import { visitById } from '../inspections/inspections.resolvers.ts';
import { complaintEvents, complaintHandlers } from './complaints.repository.ts';
import {
  assignComplaint,
  closeComplaint,
  complaint,
  complaints,
  complaintView,
  linkComplaintVisit,
  ONLY_BUREAU_ASSIGNS,
  raiseComplaintFlag,
  recordComplaint,
} from './complaints.service.ts';

export const complaintsResolvers: Resolvers = {
  Query: {
    complaints: (_parent, args, ctx) => complaints(ctx, args),
    complaint: (_parent, args, ctx) => complaint(ctx, args.id),
    // Public vocabulary (labels only, never a complaint).
    complaintSources: () => COMPLAINT_SOURCE_VOCABULARY.map((s) => ({ ...s })),
    complaintStatuses: () => COMPLAINT_STATUS_VOCABULARY.map((s) => ({ ...s })),
    async complaintHandlers(_parent, args, ctx) {
      if (ctx.viewer.role !== 'BUREAU_INSPECTOR') throw new ForbiddenError(ONLY_BUREAU_ASSIGNS);
      const rows = await complaintHandlers(
        ctx.db,
        args.schoolCode.trim(),
        complaintView(ctx).currentMonth,
      );
      return rows.map((r) => ({
        id: String(r.user_id),
        name: r.display_name,
        username: r.username,
        role: r.role as 'BUREAU_INSPECTOR' | 'SUPERVISING_INSPECTOR',
      }));
    },
  },
  Mutation: {
    recordComplaint: (_parent, args, ctx) => recordComplaint(ctx, args.input),
    assignComplaint: (_parent, args, ctx) => assignComplaint(ctx, args.id, args.handlerUserId),
    raiseComplaintFlag: (_parent, args, ctx) => raiseComplaintFlag(ctx, args.id, args.detail),
    linkComplaintVisit: (_parent, args, ctx) => linkComplaintVisit(ctx, args.id, args.visitId),
    closeComplaint: (_parent, args, ctx) =>
      closeComplaint(ctx, args.id, args.finding, args.substantiated),
  },
  Complaint: {
    // Each through its own area's visibility: a flag or visit the viewer may not see is null.
    flag: (parent, _args, ctx) =>
      parent.flagId === null ? null : flagById(ctx.db, flagView(ctx), parent.flagId),
    visit: (parent, _args, ctx) =>
      parent.visitId === null ? null : visitById(ctx, String(parent.visitId)),
    async events(parent, _args, ctx) {
      const rows = await complaintEvents(ctx.db, Number(parent.id));
      return rows.map((e) => ({
        action: e.action,
        actionLabel: COMPLAINT_ACTION_LABELS[e.action],
        status: e.to_status,
        userName: e.user_name,
        note: e.note,
        occurredAt: shanghaiIso(new Date(e.occurred_at).getTime()),
      }));
    },
  },
};
