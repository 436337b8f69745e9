import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, CheckboxField, CheckboxGroup, LiveRegion, Notice, RadioGroup, SectionHeading, Text, TextField } from '../../components/ui';
import { useErrorText } from '../../lib/errors';
import { fullName } from '../../lib/format';
import type { Person, PhotoKind, PhotoWithTags } from '../../types/api';
import { fetchPhoto, saveTags, savePhotoFlags, searchUnitChildren } from './publishing.api';

type DraftTag = { key: string; personId: string | null; recognisable: boolean; firstName: string | null; lastName: string | null };

type Draft = { tags: DraftTag[]; noPeople: boolean; kind: PhotoKind };

let unknownCounter = 0;

function draftOf(photo: PhotoWithTags): Draft {
  return {
    tags: photo.tags.map((tag) => ({ ...tag, key: tag.personId ?? `unknown-${unknownCounter++}` })),
    noPeople: photo.noPeople,
    kind: photo.kind,
  };
}

const signature = (draft: Draft) =>
  JSON.stringify({
    tags: draft.noPeople ? [] : draft.tags.map((t) => [t.personId, t.recognisable]).sort(),
    noPeople: draft.noPeople,
    kind: draft.kind,
  });

/**
 * Who is in the photo: children of the group (a quick-pick list, filtered by name, and the rest
 * of the unit when searching), visitors as unknown people, each recognisable or not; or no people
 * at all; and whether it is an activity photo or a portrait. Saved together, shown as saved only
 * when the server has answered.
 */
export function TagEditor({
  photo,
  groupName,
  groupChildren,
  onSaved,
  onDirtyChange,
}: {
  photo: PhotoWithTags;
  groupName: string;
  groupChildren: Person[];
  onSaved: (photo: PhotoWithTags) => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<Draft>(() => draftOf(photo));
  const [query, setQuery] = useState('');
  const [others, setOthers] = useState<Person[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // Changes to the list not yet saved, said to screen readers (the checkboxes speak for themselves).
  const [draftNote, setDraftNote] = useState<string | null>(null);
  const taggedHeading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();

  const dirty = signature(draft) !== signature(draftOf(photo));
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  // Searching also looks in the rest of the unit: children of other groups can be in the photo too.
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      // The same list when there is nothing to clear: no render waits behind the key typed.
      setOthers((old) => (old.length === 0 ? old : []));
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      searchUnitChildren(photo.unitId, q, controller.signal)
        .then((people) => setOthers(people.filter((p) => !groupChildren.some((c) => c.id === p.id))))
        .catch(() => undefined);
    }, 300);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query, photo.unitId, groupChildren]);

  const matches = useMemo(() => {
    const q = query.trim().toLocaleLowerCase('nb');
    return q ? groupChildren.filter((child) => fullName(child).toLocaleLowerCase('nb').includes(q)) : groupChildren;
  }, [query, groupChildren]);

  const isTagged = (personId: string) => draft.tags.some((tag) => tag.personId === personId);

  function toggle(person: Person, checked: boolean) {
    setMessage(null);
    setDraft((old) => ({
      ...old,
      tags: checked
        ? [...old.tags, { key: person.id, personId: person.id, recognisable: true, firstName: person.firstName, lastName: person.lastName }]
        : old.tags.filter((tag) => tag.personId !== person.id),
    }));
  }

  function setRecognisable(key: string, recognisable: boolean) {
    setMessage(null);
    setDraft((old) => ({ ...old, tags: old.tags.map((tag) => (tag.key === key ? { ...tag, recognisable } : tag)) }));
  }

  function remove(key: string) {
    setMessage(null);
    const removed = draft.tags.find((tag) => tag.key === key);
    if (removed) setDraftNote(t('publishing.tags.removed', { name: tagName(removed) }));
    setDraft((old) => ({ ...old, tags: old.tags.filter((tag) => tag.key !== key) }));
    taggedHeading.current?.focus();
  }

  function addUnknown() {
    setMessage(null);
    const number = draft.tags.filter((tag) => tag.personId === null).length + 1;
    setDraft((old) => ({ ...old, tags: [...old.tags, { key: `unknown-${unknownCounter++}`, personId: null, recognisable: true, firstName: null, lastName: null }] }));
    setDraftNote(t('publishing.tags.unknownAdded', { name: t('publishing.tags.unknownPerson', { number }) }));
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    setFailure(null);
    try {
      const tags = draft.noPeople ? [] : draft.tags.map((tag) => ({ personId: tag.personId ?? 'unknown', recognisable: tag.recognisable }));
      // The server refuses "no people" while anyone is tagged, and clears it when someone is.
      if (draft.noPeople) {
        if (photo.tags.length > 0) await saveTags(photo.id, []);
        await savePhotoFlags(photo.id, { kind: draft.kind, noPeople: true });
      } else {
        if (draft.kind !== photo.kind || photo.noPeople) await savePhotoFlags(photo.id, { kind: draft.kind, noPeople: false });
        await saveTags(photo.id, tags);
      }
      const fresh = await fetchPhoto(photo.id);
      setDraft(draftOf(fresh));
      setDraftNote(null);
      onSaved(fresh);
      setMessage(
        fresh.noPeople ? t('publishing.tags.savedNoPeople') : fresh.tags.length === 0 ? t('publishing.tags.savedNone') : t('publishing.tags.saved', { count: fresh.tags.length }),
      );
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  const unknownCount = (key: string) => draft.tags.filter((tag) => tag.personId === null).findIndex((tag) => tag.key === key) + 1;
  const tagName = (tag: DraftTag) =>
    tag.personId === null ? t('publishing.tags.unknownPerson', { number: unknownCount(tag.key) }) : fullName({ firstName: tag.firstName ?? '', lastName: tag.lastName ?? '' });

  return (
    <section aria-labelledby={headingId} className="stack tag-editor">
      <SectionHeading id={headingId}>{t('publishing.tags.heading')}</SectionHeading>
      <Text>{t('publishing.tags.intro')}</Text>
      <form className="stack" noValidate onSubmit={(event) => void save(event)}>
        <CheckboxField
          id="tags-no-people"
          label={t('publishing.tags.noPeople')}
          checked={draft.noPeople}
          onChange={(event) => {
            setMessage(null);
            setDraft((old) => ({ ...old, noPeople: event.target.checked }));
          }}
        />
        {draft.noPeople && draft.tags.length > 0 && <Notice tone="warning">{t('publishing.tags.noPeopleClears', { count: draft.tags.length })}</Notice>}

        {!draft.noPeople && (
          <>
            <div className="stack-tight">
              <SectionHeading level={3} id={`${headingId}-tagged`} ref={taggedHeading} focusable>
                {t('publishing.tags.taggedHeading', { count: draft.tags.length })}
              </SectionHeading>
              {draft.tags.length === 0 ? (
                <p className="subtle">{t('publishing.tags.noneTagged')}</p>
              ) : (
                <ul className="tag-list">
                  {draft.tags.map((tag) => (
                    <li key={tag.key}>
                      <div role="group" aria-labelledby={`tag-name-${tag.key}`} className="tag-list__item">
                        <span id={`tag-name-${tag.key}`} className="tag-list__name">
                          {tagName(tag)}
                        </span>
                        <CheckboxField
                          id={`tag-recognisable-${tag.key}`}
                          label={t('publishing.tags.recognisable')}
                          checked={tag.recognisable}
                          onChange={(event) => setRecognisable(tag.key, event.target.checked)}
                        />
                        <Button variant="tertiary" data-size="sm" onClick={() => remove(tag.key)}>
                          {t('publishing.tags.remove')}
                          <span className="ds-sr-only"> – {tagName(tag)}</span>
                        </Button>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              <p className="subtle">{t('publishing.tags.recognisableHint')}</p>
            </div>

            <div className="stack-tight">
              <TextField
                id="tags-search"
                type="search"
                label={t('publishing.tags.search')}
                description={t('publishing.tags.searchHint')}
                optional
                value={query}
                onChange={(event) => setQuery(event.target.value)}
                autoComplete="off"
              />
              <CheckboxGroup legend={t('publishing.tags.groupLegend', { name: groupName })} className="radio-group tag-pick">
                {matches.length === 0 ? (
                  <p className="subtle">{t('publishing.tags.noMatches')}</p>
                ) : (
                  matches.map((child) => (
                    <CheckboxField key={child.id} id={`tag-pick-${child.id}`} label={fullName(child)} checked={isTagged(child.id)} onChange={(event) => toggle(child, event.target.checked)} />
                  ))
                )}
              </CheckboxGroup>
              {others.length > 0 && (
                <CheckboxGroup legend={t('publishing.tags.otherGroups')} className="radio-group tag-pick">
                  {others.map((child) => (
                    <CheckboxField key={child.id} id={`tag-pick-${child.id}`} label={fullName(child)} checked={isTagged(child.id)} onChange={(event) => toggle(child, event.target.checked)} />
                  ))}
                </CheckboxGroup>
              )}
              <div>
                <Button variant="secondary" onClick={addUnknown}>
                  {t('publishing.tags.addUnknown')}
                </Button>
              </div>
              <p className="subtle">{t('publishing.tags.unknownHint')}</p>
            </div>
          </>
        )}

        <RadioGroup
          name="photo-kind"
          idPrefix="photo-kind"
          legend={t('publishing.tags.kindLegend')}
          options={[
            { value: 'activity', label: t('publishing.tags.activity'), description: t('publishing.tags.activityHint') },
            { value: 'portrait', label: t('publishing.tags.portrait'), description: t('publishing.tags.portraitHint') },
          ]}
          value={draft.kind}
          onChange={(value) => {
            setMessage(null);
            setDraft((old) => ({ ...old, kind: value === 'portrait' ? 'portrait' : 'activity' }));
          }}
        />
        <div className="ds-sr-only">
          <LiveRegion>{draftNote}</LiveRegion>
        </div>
        <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <div className="button-row tag-editor__save">
          <Button type="submit" busy={busy} busyLabel={t('publishing.tags.saving')}>
            {t('publishing.tags.save')}
          </Button>
          {dirty && !busy && <p className="icon-text tag-editor__unsaved">{t('publishing.tags.unsaved')}</p>}
        </div>
      </form>
    </section>
  );
}
