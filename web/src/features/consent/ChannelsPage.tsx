import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { Button, CheckboxField, DataTable, Dialog, FormErrors, LiveRegion, Notice, PageHeading, Panel, RadioGroup, SectionHeading, SelectField, ServerPageLink, Text, TextField } from '../../components/ui';
import type { FormError } from '../../components/ui';
import type { Language } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { useResource } from '../../lib/useResource';
import type { Channel, Purpose, Unit } from '../../types/api';
import { createChannel, editChannel, fetchChannels, fetchPurposes, fetchUnits } from './consent.api';
import { purposeName } from './consent-words';

/** Admin: the concrete places photos are published, each under one purpose. */
export function ChannelsPage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const data = useResource(async (signal) => {
    const [channels, purposes, units] = await Promise.all([fetchChannels(signal), fetchPurposes(signal), fetchUnits(signal)]);
    return { channels, purposes, units };
  }, []);
  const [editing, setEditing] = useState<Channel | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  function saved(channel: Channel, text: string) {
    if (data.status !== 'ready') return;
    const others = data.data.channels.filter((c) => c.id !== channel.id);
    data.set({ ...data.data, channels: [...others, channel] });
    setMessage(text);
  }

  return (
    <div className="stack">
      <PageHeading>{t('consent.channels.title')}</PageHeading>
      <Text>{t('consent.channels.intro')}</Text>
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      <ResourceView resource={data}>
        {({ channels, purposes, units }) => {
          const purposeNames = new Map(purposes.map((p) => [p.id, purposeName(p, language)]));
          const unitNames = new Map(units.map((u) => [u.id, u.name]));
          return (
            <>
              {channels.length === 0 ? (
                <Text>{t('consent.channels.none')}</Text>
              ) : (
                <DataTable
                  caption={t('consent.channels.caption')}
                  rows={[...channels].sort((a, b) => a.name.localeCompare(b.name, 'nb'))}
                  rowKey={(channel) => channel.id}
                  columns={[
                    { key: 'name', header: t('consent.channels.name'), rowHeader: true, cell: (c) => c.name },
                    { key: 'purpose', header: t('consent.channels.purpose'), cell: (c) => purposeNames.get(c.purposeId) ?? '' },
                    { key: 'unit', header: t('consent.channels.unit'), cell: (c) => (c.unitId ? (unitNames.get(c.unitId) ?? '') : t('consent.channels.wholeOrganisation')) },
                    {
                      key: 'slug',
                      header: t('consent.channels.slug'),
                      // A hosted channel's gallery is a page of its own, made by the server: open it from here.
                      cell: (c) =>
                        c.kind === 'hosted' && c.active ? (
                          <ServerPageLink href={`/feed/${encodeURIComponent(c.slug)}`}>
                            <code>{c.slug}</code>
                            <span className="ds-sr-only"> – {t('consent.channels.openFeed')}</span>
                          </ServerPageLink>
                        ) : (
                          <code>{c.slug}</code>
                        ),
                    },
                    { key: 'kind', header: t('consent.channels.kind'), cell: (c) => t(`consent.channels.kinds.${c.kind}`) },
                    { key: 'edge', header: t('consent.channels.maxLongEdge'), numeric: true, cell: (c) => `${c.maxLongEdge} px` },
                    { key: 'active', header: t('consent.channels.active'), cell: (c) => (c.active ? t('common.yes') : t('common.no')) },
                    {
                      key: 'edit',
                      header: <span className="ds-sr-only">{t('consent.channels.actions')}</span>,
                      cell: (c) => (
                        <Button variant="tertiary" data-size="sm" onClick={() => setEditing(c)}>
                          {t('consent.channels.edit')}
                          <span className="ds-sr-only"> – {c.name}</span>
                        </Button>
                      ),
                    },
                  ]}
                />
              )}
              <NewChannelForm purposes={purposes} units={units} onCreated={(c) => saved(c, t('consent.channels.created', { name: c.name }))} />
              <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing ? t('consent.channels.editTitle', { name: editing.name }) : ''}>
                {editing && (
                  <EditChannelForm
                    channel={editing}
                    onCancel={() => setEditing(null)}
                    onSaved={(c) => {
                      setEditing(null);
                      saved(c, t('consent.channels.saved', { name: c.name }));
                    }}
                  />
                )}
              </Dialog>
            </>
          );
        }}
      </ResourceView>
    </div>
  );
}

function KindField({ id, value, onChange, error }: { id: string; value: Channel['kind'] | null; onChange: (kind: Channel['kind']) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <RadioGroup
      name={id}
      idPrefix={id}
      legend={t('consent.channels.kind')}
      options={[
        { value: 'hosted', label: t('consent.channels.kinds.hosted'), description: t('consent.channels.hostedHint') },
        { value: 'external', label: t('consent.channels.kinds.external'), description: t('consent.channels.externalHint') },
      ]}
      value={value}
      onChange={(kind) => onChange(kind === 'hosted' ? 'hosted' : 'external')}
      error={error}
    />
  );
}

const edgePattern = /^\d{2,4}$/;

function NewChannelForm({ purposes, units, onCreated }: { purposes: readonly Purpose[]; units: readonly Unit[]; onCreated: (channel: Channel) => void }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const headingId = useId();
  const [purposeId, setPurposeId] = useState('');
  const [unitId, setUnitId] = useState('');
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [kind, setKind] = useState<Channel['kind'] | null>(null);
  const [edge, setEdge] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (!purposeId) found['channel-purpose'] = t('consent.channels.purposeRequired');
    if (!name.trim()) found['channel-name'] = t('consent.channels.nameRequired');
    if (!/^[a-z0-9][a-z0-9-]{1,60}$/.test(slug.trim())) found['channel-slug'] = t('consent.channels.slugInvalid');
    if (!kind) found['channel-kind-hosted'] = t('consent.channels.kindRequired');
    if (edge.trim() && (!edgePattern.test(edge.trim()) || Number(edge) < 64 || Number(edge) > 4096)) found['channel-edge'] = t('consent.channels.edgeInvalid');
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0 || !kind) return;
    setBusy(true);
    try {
      onCreated(
        await createChannel({ purposeId, unitId: unitId || null, name: name.trim(), slug: slug.trim(), kind, ...(edge.trim() ? { maxLongEdge: Number(edge) } : {}) }),
      );
      setName('');
      setSlug('');
      setEdge('');
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  const summary: FormError[] = Object.entries(errors).map(([fieldId, message]) => ({ fieldId, message }));
  return (
    <Panel labelledBy={headingId}>
      <SectionHeading id={headingId}>{t('consent.channels.createHeading')}</SectionHeading>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <FormErrors key={attempt} errors={summary} />
        <SelectField
          id="channel-purpose"
          label={t('consent.channels.purpose')}
          value={purposeId}
          onChange={(event) => setPurposeId(event.target.value)}
          options={[{ value: '', label: t('consent.channels.choosePurpose') }, ...purposes.map((p) => ({ value: p.id, label: purposeName(p, language) }))]}
          error={errors['channel-purpose']}
        />
        <SelectField
          id="channel-unit"
          label={t('consent.channels.unit')}
          value={unitId}
          onChange={(event) => setUnitId(event.target.value)}
          options={[{ value: '', label: t('consent.channels.wholeOrganisation') }, ...units.map((u) => ({ value: u.id, label: u.name }))]}
        />
        <TextField id="channel-name" label={t('consent.channels.name')} value={name} onChange={(event) => setName(event.target.value)} error={errors['channel-name']} autoComplete="off" />
        <TextField
          id="channel-slug"
          label={t('consent.channels.slug')}
          description={t('consent.channels.slugHint')}
          value={slug}
          onChange={(event) => setSlug(event.target.value)}
          error={errors['channel-slug']}
          autoComplete="off"
          spellCheck={false}
        />
        <KindField id="channel-kind" value={kind} onChange={setKind} error={errors['channel-kind-hosted']} />
        <TextField
          id="channel-edge"
          label={t('consent.channels.maxLongEdge')}
          description={t('consent.channels.edgeHint')}
          inputMode="numeric"
          optional
          value={edge}
          onChange={(event) => setEdge(event.target.value)}
          error={errors['channel-edge']}
          autoComplete="off"
        />
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <div>
          <Button type="submit" busy={busy} busyLabel={t('consent.channels.creating')}>
            {t('consent.channels.create')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}

function EditChannelForm({ channel, onCancel, onSaved }: { channel: Channel; onCancel: () => void; onSaved: (channel: Channel) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [name, setName] = useState(channel.name);
  const [kind, setKind] = useState<Channel['kind']>(channel.kind);
  const [edge, setEdge] = useState(String(channel.maxLongEdge));
  const [active, setActive] = useState(channel.active);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (!name.trim()) found['edit-channel-name'] = t('consent.channels.nameRequired');
    if (!edgePattern.test(edge.trim()) || Number(edge) < 64 || Number(edge) > 4096) found['edit-channel-edge'] = t('consent.channels.edgeInvalid');
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      onSaved(await editChannel(channel.id, { name: name.trim(), kind, maxLongEdge: Number(edge), active }));
    } catch (caught) {
      setFailure(errorText(caught));
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)}>
      <FormErrors key={attempt} errors={Object.entries(errors).map(([fieldId, message]) => ({ fieldId, message }))} />
      <TextField id="edit-channel-name" label={t('consent.channels.name')} value={name} onChange={(event) => setName(event.target.value)} error={errors['edit-channel-name']} autoComplete="off" />
      <KindField id="edit-channel-kind" value={kind} onChange={setKind} />
      <TextField
        id="edit-channel-edge"
        label={t('consent.channels.maxLongEdge')}
        inputMode="numeric"
        value={edge}
        onChange={(event) => setEdge(event.target.value)}
        error={errors['edit-channel-edge']}
        autoComplete="off"
      />
      <CheckboxField id="edit-channel-active" label={t('consent.channels.activeLabel')} checked={active} onChange={(event) => setActive(event.target.checked)} />
      <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
      <div className="button-row">
        <Button type="submit" busy={busy} busyLabel={t('consent.channels.saving')}>
          {t('consent.channels.save')}
        </Button>
        <Button variant="tertiary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
