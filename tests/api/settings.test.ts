import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';

describe.each(testEngines())('organisation settings [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
  });
  afterAll(() => t.close());

  it('start from the server defaults', async () => {
    const admin = as(app, await tokenFor(app, 'admin@demo.no'));
    const res = await admin.get('/api/settings');
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({
      selfConsentAge: 15,
      schoolYearEnd: '07-31',
      takedownDueHours: 24,
      retentionUnpublishedDays: 90,
      overridden: [],
      defaults: { selfConsentAge: 15, schoolYearEnd: '07-31', takedownDueHours: 24, retentionUnpublishedDays: 90 },
    });
  });

  it('a higher self-consent age gives the decision back to the guardians of a 15-year-old, and the change is audited', async () => {
    const admin = as(app, await tokenFor(app, 'admin@demo.no'));
    const pupil = as(app, await tokenFor(app, 'elev@demo.no'));
    const me = (await pupil.get('/api/me')).body.user;
    expect((await pupil.get(`/api/people/${me.personId}/consents`)).body.decidesSelf).toBe(true);

    const changed = await admin.put('/api/settings').send({ selfConsentAge: 16 });
    expect(changed.status).toBe(200);
    expect(changed.body.settings.selfConsentAge).toBe(16);
    expect(changed.body.settings.overridden).toEqual(['selfConsentAge']);
    const view = (await pupil.get(`/api/people/${me.personId}/consents`)).body;
    expect(view.decidesSelf).toBe(false);
    expect(view.canDecide).toBe(false);

    const events = await findAuditEvents(t.ctx.db, { action: 'settings.updated', limit: 5 });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload)).toEqual({ changed: ['selfConsentAge'] });

    const back = await admin.put('/api/settings').send({ selfConsentAge: null });
    expect(back.body.settings.selfConsentAge).toBe(15);
    expect((await pupil.get(`/api/people/${me.personId}/consents`)).body.decidesSelf).toBe(true);
  });

  it('only the admin changes settings, and nonsense is refused with a reason', async () => {
    const leader = as(app, await tokenFor(app, 'leder@demo.no'));
    expect((await leader.put('/api/settings').send({ selfConsentAge: 13 })).status).toBe(403);
    const admin = as(app, await tokenFor(app, 'admin@demo.no'));
    const bad = await admin.put('/api/settings').send({ schoolYearEnd: '13-40' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ field: 'schoolYearEnd' });
  });
});
